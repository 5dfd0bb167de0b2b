import type { XYPosition } from '@xyflow/react';

/**
 * Where a stack's appliances sit on the board, remembered by this browser only (localStorage,
 * per user and stack). The document has no place for them, and keeping them out of it is what
 * keeps the designer's YAML and the CLI's the same text.
 */
const key = (userId: string, stack: string) => `fleetyard.designer.positions.${userId}.${stack}`;

export function loadPositions(userId: string, stack: string): Record<string, XYPosition> {
  try {
    const raw = globalThis.localStorage?.getItem(key(userId, stack));
    if (!raw) return {};
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    const out: Record<string, XYPosition> = {};
    for (const [name, p] of Object.entries(parsed)) {
      const { x, y } = (p ?? {}) as { x?: unknown; y?: unknown };
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) out[name] = { x, y };
    }
    return out;
  } catch {
    return {};
  }
}

export function savePositions(userId: string, stack: string, positions: Record<string, XYPosition>): void {
  try {
    globalThis.localStorage?.setItem(key(userId, stack), JSON.stringify(positions));
  } catch {
    // A full or disabled storage only costs the places; the board lays the stack out again.
  }
}

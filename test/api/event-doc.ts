import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { appliancePhaseSchema } from '../../src/domain/appliance.ts';
import { requestStateSchema } from '../../src/domain/cloud-request.ts';
import { ERROR_CODES } from '../../src/domain/errors.ts';
import { EVENT_TYPES, type EventType } from '../../src/domain/event-types.ts';

/**
 * Reads the tables of `docs/events.md`, rows of the form
 * | `type` | kind | owner | data | description |, and renders the same row from the registry, so
 * the test can compare them cell by cell. Also returns every backticked token that looks like an
 * event type anywhere in the file, so a type mentioned only in prose is checked too.
 */
export const EVENTS_DOC = join(import.meta.dirname, '../../docs/events.md');

export interface EventRow {
  kind: string;
  owner: string;
  data: string;
  description: string;
}

const NAMESPACES = [...new Set(Object.keys(EVENT_TYPES).map((t) => t.slice(0, t.indexOf('.'))))];

export function readEventDoc(): { rows: Map<string, EventRow>; mentioned: Set<string> } {
  const text = readFileSync(EVENTS_DOC, 'utf8');
  const rows = new Map<string, EventRow>();
  for (const m of text.matchAll(/^\|\s*`([a-z][a-z.-]*)`\s*\|([^\n]*)\|\s*$/gm)) {
    const [, type, rest] = m as unknown as [string, string, string];
    const cells = rest.split('|').map((c) => c.trim());
    if (cells.length !== 4) throw new Error(`the row of ${type} in docs/events.md has ${cells.length + 1} cells, not 5`);
    if (rows.has(type)) throw new Error(`${type} has two rows in docs/events.md`);
    const [kind, owner, data, description] = cells as [string, string, string, string];
    rows.set(type, { kind, owner, data, description });
  }
  const token = new RegExp(`\`((?:${NAMESPACES.join('|')})\\.[a-z][a-z.-]*[a-z])\``, 'g');
  const mentioned = new Set([...text.matchAll(token)].map((m) => m[1] as string));
  return { rows, mentioned };
}

/** The row the registry says `type` should have. */
export function registryRow(type: EventType): EventRow {
  const spec = EVENT_TYPES[type];
  const kinds: readonly string[] = typeof spec.kind === 'string' ? [spec.kind] : spec.kind;
  return { kind: kinds.join(', '), owner: spec.owner, data: dataCell(spec.data), description: spec.description };
}

/** `name` type, … for each field of the data schema; `name?` for one that may be left out. */
function dataCell(schema: z.ZodObject): string {
  const fields = Object.entries(schema.shape).map(([name, field]) => {
    const optional = field.safeParse(undefined).success;
    return `\`${name}${optional ? '?' : ''}\` ${typeName(field)}`;
  });
  return fields.length > 0 ? fields.join(', ') : '—';
}

function typeName(schema: z.core.$ZodType): string {
  const def = schema._zod.def as z.core.$ZodTypeDef & { innerType?: z.core.$ZodType; element?: z.core.$ZodType; values?: unknown[]; checks?: unknown[] };
  switch (def.type) {
    case 'optional':
    case 'default':
      return typeName(def.innerType as z.core.$ZodType);
    case 'nullable':
      return `${typeName(def.innerType as z.core.$ZodType)} or null`;
    case 'array':
      return `array of ${typeName(def.element as z.core.$ZodType)}`;
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
    case 'enum':
      return enumName(schema as z.ZodEnum);
    case 'number':
      return (schema as z.ZodNumber).isInt ? 'integer' : 'number';
    default:
      return def.type;
  }
}

/** A short enum by its values; a long one by what it is, documented elsewhere. */
function enumName(schema: z.ZodEnum): string {
  const values = schema.options as string[];
  if (values.length <= 4) return values.map((v) => JSON.stringify(v)).join(' or ');
  if (schema === appliancePhaseSchema) return 'appliance phase';
  if (schema === requestStateSchema) return 'request state';
  if (values.length === Object.keys(ERROR_CODES).length && values.every((v) => v in ERROR_CODES)) return 'error code';
  throw new Error(`the data of an event type has an enum of ${values.length} values the events doc has no name for: name it in event-doc.ts`);
}

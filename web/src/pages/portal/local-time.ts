/**
 * `<input type="datetime-local">` speaks local wall-clock time without a zone ("2026-03-02T09:30");
 * the API speaks ISO 8601 in UTC. These convert between the two in the browser's time zone.
 */
const pad = (n: number) => String(n).padStart(2, '0');

export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The ISO time of a local input's value, or null when it is empty or not a time. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A time as people read it, in their own locale and zone. */
export function showTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Ids become path components in the storage; refuse anything that could escape its root. */
export function safeName(id: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/.test(id)) throw new RangeError(`not a valid storage name: ${id}`);
  return id;
}

/**
 * Merging the cloud-config of an appliance's configuration groups into one, in the groups'
 * order: lists are appended (a later group's `packages` or `runcmd` run after an earlier one's),
 * maps are merged key by key, and anything else (a scalar, or a list meeting a map) is replaced
 * by the later group's value. This is cloud-init's own `list(append)+dict(recurse_array)`
 * merge, done once here so that one document reaches the appliance and what it runs can be shown
 * before it boots.
 */
export type CloudConfig = Record<string, unknown>;

export function mergeCloudConfigs(configs: readonly CloudConfig[]): CloudConfig {
  let merged: CloudConfig = {};
  for (const c of configs) merged = mergeMaps(merged, c);
  return merged;
}

function mergeMaps(a: CloudConfig, b: CloudConfig): CloudConfig {
  const out: CloudConfig = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = key in out ? mergeValues(out[key], value) : value;
  return out;
}

function mergeValues(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...(a as unknown[]), ...(b as unknown[])];
  if (isMap(a) && isMap(b)) return mergeMaps(a, b);
  return b;
}

export function isMap(v: unknown): v is CloudConfig {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

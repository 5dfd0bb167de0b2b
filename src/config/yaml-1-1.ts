import { stringify } from 'yaml';

/**
 * YAML as its readers here parse it: Puppet (Ruby's Psych) and cloud-init (PyYAML) both read
 * YAML 1.1, where an unquoted `yes`, `on`, `0777` or `2001-01-01` is not a string. Written for
 * 1.1, every such string is quoted, so each value arrives as what it was.
 */
export function stringifyYaml11(doc: unknown): string {
  return stringify(doc, { version: '1.1', lineWidth: 0 });
}

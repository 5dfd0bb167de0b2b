import { parse } from 'yaml';
import { FleetyardError } from '../domain/errors.ts';

/**
 * An Ansible playbook is a YAML list of plays, each a mapping. Checked when a group is saved so a
 * typo is refused at once (FY_VALIDATION on `ansible.playbook`) instead of failing at every
 * appliance's application; whether the plays make sense is ansible-playbook's to say.
 */
export function checkPlaybook(text: string): void {
  const refuse = (why: string) => new FleetyardError('FY_VALIDATION', `ansible.playbook ${why}`, { field: 'ansible.playbook' });
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw refuse(`is not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(doc) || doc.length === 0) throw refuse('must be a list of plays');
  if (!doc.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) throw refuse('must hold only plays (mappings)');
}

import { FleetyardError } from '../domain/errors.ts';
import { configSshOutcome, sshHostKeyFromConsole } from '../drivers/seed.ts';
import { runPlaybook, type AnsibleRunResult, type AnsibleTarget } from './ansible-run.ts';
import { CONFIGURE_RUN_MS } from './deadlines.ts';
import type { ConfigureCommand, ConfigureReply } from './protocol.ts';

/** How long the appliance may take, after it runs, to say its SSH server takes the key. */
const SSH_READY_MS = 60_000;

export interface ConfigApplyDeps {
  /** The last bytes of the appliance's console, as text. */
  consoleTail: (applianceId: string) => Promise<string>;
  /** Opens the private key sealed for this agent. */
  open: (sealed: string) => string;
  run?: (target: AnsibleTarget, playbook: string, timeoutMs: number) => Promise<AnsibleRunResult>;
}

/**
 * The agent's side of `configure`: waits until the appliance's console says root takes the
 * configuration-management key (`fleetyard-config-ssh ready`), pins the SSH host key it printed,
 * and runs each group's playbook in order, stopping at the first that fails.
 */
export async function applyConfiguration(cmd: ConfigureCommand, deps: ConfigApplyDeps): Promise<ConfigureReply> {
  const text = await awaitSshReady(cmd, deps);
  const hostKey = sshHostKeyFromConsole(text);
  if (!hostKey) throw new FleetyardError('FY_DRIVER_FAILED', `appliance ${cmd.name} printed no SSH host key (fleetyard-ssh-host-key) on its console`, { applianceId: cmd.applianceId });
  const target: AnsibleTarget = { name: cmd.name, address: cmd.address, hostKey, privateKey: deps.open(cmd.privateKeySealed) };
  const run = deps.run ?? runPlaybook;
  const results: ConfigureReply['results'] = [];
  for (const g of cmd.groups) {
    const r = await run(target, g.playbook, CONFIGURE_RUN_MS);
    results.push({ group: g.name, revision: g.revision, state: r.state, ok: r.ok, changed: r.changed, failed: r.failed, message: r.message, output: r.output });
    if (r.state === 'failed') break;
  }
  return { results };
}

async function awaitSshReady(cmd: ConfigureCommand, deps: ConfigApplyDeps): Promise<string> {
  const deadline = Date.now() + SSH_READY_MS;
  for (;;) {
    const text = await deps.consoleTail(cmd.applianceId);
    const outcome = configSshOutcome(text);
    if (outcome.state === 'ready') return text;
    if (outcome.state === 'failed') {
      throw new FleetyardError('FY_DRIVER_FAILED', `appliance ${cmd.name} cannot take the configuration-management key: ${outcome.reason}`, { applianceId: cmd.applianceId });
    }
    if (Date.now() >= deadline) {
      throw new FleetyardError('FY_DRIVER_FAILED', `appliance ${cmd.name} did not say within ${SSH_READY_MS / 1000} s that root takes the configuration-management key (fleetyard-config-ssh ready)`, { applianceId: cmd.applianceId });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

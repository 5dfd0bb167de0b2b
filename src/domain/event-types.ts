import { z } from 'zod';
import { appliancePhaseSchema, desiredStateSchema } from './appliance.ts';
import { requestStateSchema } from './cloud-request.ts';
import { ERROR_CODES, FleetyardError, type ErrorCode } from './errors.ts';
import type { EventKind } from './event.ts';
import { virtualizationSchema } from './meta.ts';
import { checkStateSchema, checkStateTypeSchema } from './health-check.ts';
import { networkSpecViewSchema } from './network.ts';
import { quotaLimitsSchema } from './quota.ts';
import { powerStateSchema } from './resource.ts';
import { roleSchema } from './user.ts';

/**
 * The one registry of event types. Every event Fleetyard writes has a type listed here, with the
 * kind of object it is about, the zod schema of its `data`, who owns it, and one line saying what
 * happened. `docs/events.md` documents each one and a test keeps the two in step. The store parses
 * every event against its entry when it is emitted, so an unknown type or data of the wrong shape
 * fails at the emit site (`FY_EVENT_INVALID`) instead of reaching a consumer.
 *
 * The owner is the cloud user the event belongs to; a cloud user sees the events they own and no
 * others (admins see all). The rule says where the owner comes from, so no emit site can forget it:
 *   none          no owner: data-center and catalogue events only admins see
 *   object        the event's object is the user it belongs to (its `objectId`)
 *   user          the emit site names the owner (`ownerId`, a user id)
 *   user-or-none  the emit site names the owner, or null when the object has none (an appliance
 *                 an admin made for nobody, a group's quota)
 *
 * Types are never removed or renamed, since the log keeps them; data fields are only added.
 */
export type OwnerRule = 'none' | 'object' | 'user' | 'user-or-none';

interface EventTypeSpec {
  kind: EventKind | readonly EventKind[];
  owner: OwnerRule;
  data: z.ZodObject<z.ZodRawShape, z.core.$strict>;
  description: string;
}

const id = z.string().min(1);
const nothing = z.strictObject({});
const errorCode = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);
/** Set on the events of an appliance that belongs to a cloud request (its label). */
const requestId = id.nullable();

const applianceStatus = z.strictObject({ phase: appliancePhaseSchema, hostId: id.nullable(), address: z.string().nullable(), requestId });
/** Set on the events of an appliance that a stack made or ends (an admin's stack). */
const stackId = id.optional();
/** One run of a configuration group's playbook on an appliance (src/agent/ansible-run.ts). */
const configRun = z.strictObject({
  group: z.string(),
  revision: z.number().int(),
  ok: z.number().int(),
  changed: z.number().int(),
  failed: z.number().int(),
  message: z.string(),
  output: z.string(),
  requestId,
});
const applianceRequested = z.strictObject({ requestId: id.optional(), stackId });
const runtime = (event: 'SHUTDOWN' | 'POWERDOWN' | 'RESET' | 'STOP') =>
  z.strictObject({
    event: z.literal(event),
    at: z.string(),
    hostId: id,
    requestId,
    /** What the runtime said of it, where it said so (QEMU: whether the guest asked, and why). */
    guest: z.boolean().optional(),
    reason: z.string().optional(),
  });
const requestState = z.strictObject({ from: requestStateSchema, to: requestStateSchema, reason: z.string(), ownerId: id });
const mailBase = {
  to: z.string(),
  template: z.string(),
  attempts: z.number().int().min(0),
  related: z.strictObject({ kind: z.string(), id: z.string() }).nullable(),
};
const fields = z.strictObject({ fields: z.array(z.string()) });
const credit = z.strictObject({ entryId: id, amountMilli: z.number().int() });
const kernelFiles = z.strictObject({ files: z.array(z.enum(['vmlinuz', 'initrd'])) });

export const EVENT_TYPES = {
  'appliance.created': { kind: 'appliance', owner: 'user-or-none', data: z.strictObject({ desiredState: desiredStateSchema, requestId: id.optional(), stackId }), description: 'An appliance was created, by an admin or for a cloud request; it is placed next.' },
  'appliance.start-requested': { kind: 'appliance', owner: 'user-or-none', data: applianceRequested, description: 'Its desired state became running.' },
  'appliance.stop-requested': { kind: 'appliance', owner: 'user-or-none', data: applianceRequested, description: 'Its desired state became stopped.' },
  'appliance.move-requested': { kind: 'appliance', owner: 'user-or-none', data: z.strictObject({ to: virtualizationSchema }), description: 'A move to another virtualization type was asked for.' },
  'appliance.delete-requested': { kind: 'appliance', owner: 'user-or-none', data: applianceRequested, description: 'Its deletion was asked for; it stops and releases what it holds first.' },
  'appliance.placed': {
    kind: 'appliance',
    owner: 'user-or-none',
    data: z.strictObject({ hostId: id, resourceId: id, address: z.string(), virtualization: virtualizationSchema, requestId }),
    description: 'The planner gave it a host, a slot (or a whole server) and an address.',
  },
  'appliance.config-applied': { kind: 'appliance', owner: 'user-or-none', data: configRun, description: 'A configuration group was applied to it (its Ansible playbook ran without a failed task): counts and output.' },
  'appliance.config-failed': { kind: 'appliance', owner: 'user-or-none', data: configRun, description: "A configuration group's playbook failed on it: the failing task's message; it is not run again until the group changes." },
  'appliance.running': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'Its driver reports it running.' },
  'appliance.stopped': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'It stopped; its slot went back to the host, its clone and address stay.' },
  'appliance.unschedulable': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'No resource can take it now; it waits, pending, for capacity.' },
  'appliance.failed': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'An attempt to reach its desired state failed; the next one waits out a backoff.' },
  'appliance.failover': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'Its host failed and was fenced; being HA, it is released from that host and restarts elsewhere with the same address and data.' },
  'appliance.lost': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'Its host failed and was fenced; not being HA, it is not restarted (phase lost, with the reason).' },
  'appliance.waiting-for-host': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'Its host lost its lease and is not confirmed fenced: nothing is sent to it or started elsewhere; the status says what it waits for.' },
  'appliance.moving': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'A move began: it is stopped and its data converted for the target.' },
  'appliance.moved': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'A move ended on the target virtualization type.' },
  'appliance.move-rolled-back': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'The target could not take it; it runs where it was, with its data converted back.' },
  'appliance.move-rollback-failed': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'Rolling a failed move back failed too; it waits for an admin.' },
  'appliance.deleted': { kind: 'appliance', owner: 'user-or-none', data: z.strictObject({ requestId }), description: 'It is gone, with its runtime, clone and address.' },
  'appliance.runtime.shutdown': { kind: 'appliance', owner: 'user-or-none', data: runtime('SHUTDOWN'), description: 'Its runtime reports it shut down (the guest powered off, or its process ended).' },
  'appliance.runtime.powerdown': { kind: 'appliance', owner: 'user-or-none', data: runtime('POWERDOWN'), description: 'Its runtime reports the power button pressed (ACPI).' },
  'appliance.runtime.reset': { kind: 'appliance', owner: 'user-or-none', data: runtime('RESET'), description: 'Its runtime reports the machine reset.' },
  'appliance.runtime.stop': { kind: 'appliance', owner: 'user-or-none', data: runtime('STOP'), description: 'Its runtime reports the machine paused.' },
  'appliance.dns-published': { kind: 'appliance', owner: 'user-or-none', data: z.strictObject({ names: z.array(z.string()), requestId }), description: "Its DNS records (A, AAAA, PTR) were published through its networks' backends, before it was reported running." },
  'appliance.dns-removed': { kind: 'appliance', owner: 'user-or-none', data: z.strictObject({ names: z.array(z.string()), requestId }), description: 'Its DNS records were removed, before its address was released at its deletion.' },
  'appliance.checks-set': { kind: 'appliance', owner: 'user-or-none', data: z.strictObject({ checks: z.array(z.string()) }), description: 'Its health checks were set (their names); the agent of its host runs them from its next start or ensure.' },
  'appliance.check.changed': {
    kind: 'appliance',
    owner: 'user-or-none',
    data: z.strictObject({ check: z.string(), state: checkStateSchema, type: checkStateTypeSchema, attempt: z.number().int(), output: z.string(), hostId: id, requestId }),
    description: 'A health check changed state or state type (soft to hard), as the agent of its host ran it.',
  },
  'appliance.restart-requested': {
    kind: 'appliance',
    owner: 'user-or-none',
    data: z.strictObject({ restartId: id, elsewhere: z.boolean(), check: z.string(), reason: z.string(), requestId }),
    description: 'Its check turned hard CRITICAL and, being HA, the restart policy asked for a restart in place or elsewhere.',
  },
  'appliance.restart-limited': {
    kind: 'appliance',
    owner: 'user-or-none',
    data: z.strictObject({ check: z.string(), reason: z.string(), requestId }),
    description: 'Its check turned hard CRITICAL, but the restart policy reached its limits: it is not restarted.',
  },
  'appliance.restarting': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'A restart asked for by the restart policy began: it is stopped first.' },
  'appliance.restarted': { kind: 'appliance', owner: 'user-or-none', data: applianceStatus, description: 'A restart ended: it runs again, on the same host or (relocated) on another one.' },

  'request.submitted': { kind: 'request', owner: 'user', data: z.strictObject({ ownerId: id }), description: 'A cloud user ordered a product; the request is new.' },
  'request.approve-requested': { kind: 'request', owner: 'user', data: nothing, description: 'An admin approved the request; the reconciler reserves capacity next.' },
  'request.deny-requested': { kind: 'request', owner: 'user', data: nothing, description: 'An admin denied the request.' },
  'request.pause-requested': { kind: 'request', owner: 'user', data: nothing, description: 'A pause was asked for.' },
  'request.resume-requested': { kind: 'request', owner: 'user', data: nothing, description: 'A paused request was asked to resume.' },
  'request.cancel-requested': { kind: 'request', owner: 'user', data: nothing, description: 'The request was cancelled; it de-provisions and ends.' },
  'request.extended': { kind: 'request', owner: 'user', data: nothing, description: 'The end of its window moved later.' },
  'request.repriced': { kind: 'request', owner: 'user', data: z.strictObject({ appliances: z.number().int().min(1) }), description: 'Moved appliances are metered at their new price from now on.' },
  'request.approved': { kind: 'request', owner: 'user', data: requestState, description: 'It was approved (by policy or an admin) and its capacity reserved.' },
  'request.provisioning': { kind: 'request', owner: 'user', data: requestState, description: 'Its start is near: its appliances are being made.' },
  'request.active': { kind: 'request', owner: 'user', data: requestState, description: 'Its appliances run and are metered.' },
  'request.paused': { kind: 'request', owner: 'user', data: requestState, description: 'Its appliances are stopped, their clones and reservations kept, the meters closed.' },
  'request.deprovisioning': { kind: 'request', owner: 'user', data: requestState, description: 'It is ending (its window, a cancel, or no credit left): its appliances are being removed.' },
  'request.done': { kind: 'request', owner: 'user', data: requestState, description: 'It ended; nothing of it is left running.' },
  'request.denied': { kind: 'request', owner: 'user', data: requestState, description: 'It was denied (by an admin, the quota, or because it can no longer be met).' },
  'request.failed': { kind: 'request', owner: 'user', data: requestState, description: 'Provisioning it failed; the reason says why.' },
  'request.no-capacity': { kind: 'request', owner: 'user', data: requestState, description: 'No capacity for its whole window; nothing was reserved.' },

  'user.created': { kind: 'user', owner: 'object', data: z.strictObject({ role: roleSchema }), description: 'A user was created.' },
  'user.updated': { kind: 'user', owner: 'object', data: fields, description: 'Fields of the user were changed (names only, never values).' },
  'user.password-changed': { kind: 'user', owner: 'object', data: nothing, description: 'The password was set; the other sessions ended.' },
  'user.email-change-requested': { kind: 'user', owner: 'object', data: nothing, description: 'A new e-mail address waits for the code mailed to it.' },
  'user.email-verified': { kind: 'user', owner: 'object', data: nothing, description: 'The new e-mail address was confirmed and is now used.' },
  'user.token-created': { kind: 'user', owner: 'object', data: z.strictObject({ tokenId: id }), description: 'An API token was made.' },
  'user.token-revoked': { kind: 'user', owner: 'object', data: z.strictObject({ tokenId: id }), description: 'An API token was revoked.' },
  'user.logged-in': { kind: 'user', owner: 'object', data: nothing, description: 'The user logged in with a password; a web session began.' },
  'group.created': { kind: 'group', owner: 'none', data: nothing, description: 'A group was created.' },
  'quota.set': { kind: ['user', 'group'], owner: 'user-or-none', data: z.strictObject({ limits: z.strictObject(quotaLimitsSchema.shape) }), description: "An admin set a user's or a group's quota; a user's quota belongs to that user." },

  'billing.grant': { kind: 'billing', owner: 'object', data: credit, description: 'An admin granted CCU to the user (its object).' },
  'billing.adjustment': { kind: 'billing', owner: 'object', data: credit, description: "An admin corrected the user's balance (its object), by either sign." },
  'billing.posted': { kind: 'billing', owner: 'object', data: z.strictObject({ balanceMilli: z.number().int() }), description: "A posting run debited the user's (its object's) usage; data: the balance after it." },
  'billing.price-list-changed': { kind: 'billing', owner: 'none', data: z.strictObject({ version: z.number().int().min(1) }), description: 'A new price list version is in effect for meters opened from now on.' },

  'mail.queued': { kind: 'mail', owner: 'user-or-none', data: z.strictObject(mailBase), description: 'A mail was recorded with the change that causes it; it is sent next.' },
  'mail.sent': { kind: 'mail', owner: 'user-or-none', data: z.strictObject({ ...mailBase, messageId: z.string() }), description: 'The SMTP server took the mail.' },
  'mail.deferred': { kind: 'mail', owner: 'user-or-none', data: z.strictObject({ ...mailBase, error: z.string(), nextAttemptAt: z.string() }), description: 'An attempt to send failed; another follows.' },
  'mail.failed': { kind: 'mail', owner: 'user-or-none', data: z.strictObject({ ...mailBase, error: z.string() }), description: 'The mail could not be prepared, or every attempt failed; an admin may retry it.' },
  'mail.retried': { kind: 'mail', owner: 'user-or-none', data: z.strictObject({ ...mailBase, by: id }), description: 'An admin sent the mail again.' },

  'product.created': { kind: 'product', owner: 'none', data: nothing, description: 'A product was added to the catalogue.' },
  'product.updated': { kind: 'product', owner: 'none', data: fields, description: 'A product was changed (the names of the fields).' },
  'config-group.created': { kind: 'config-group', owner: 'none', data: z.strictObject({ revision: z.number().int() }), description: 'A configuration group was defined.' },
  'config-group.updated': { kind: 'config-group', owner: 'none', data: z.strictObject({ revision: z.number().int(), fields: z.array(z.string()) }), description: 'A configuration group was changed: its revision went up, so the appliances carrying it get it again.' },
  'config-group.deleted': { kind: 'config-group', owner: 'none', data: nothing, description: 'A configuration group no product or appliance carried was deleted.' },
  'image.created': { kind: 'image', owner: 'none', data: nothing, description: 'An image was created; it waits for its data.' },
  'image.importing': { kind: 'image', owner: 'none', data: z.strictObject({ expectedBytes: z.number().int().min(0).nullable() }), description: 'Its data is arriving (an upload or an import).' },
  'image.ready': { kind: 'image', owner: 'none', data: z.strictObject({ sizeBytes: z.number().int().min(0) }), description: 'Its data is complete; appliances can use it.' },
  'image.import-failed': { kind: 'image', owner: 'none', data: z.strictObject({ code: errorCode }), description: 'Its import failed; it is queued again, saying why.' },
  'image.deleted': { kind: 'image', owner: 'none', data: nothing, description: 'An image was deleted.' },
  'kernel.created': { kind: 'kernel', owner: 'none', data: nothing, description: 'A kernel was created; it waits for its files.' },
  'kernel.file-stored': { kind: 'kernel', owner: 'none', data: kernelFiles, description: 'A file of it (an initrd) is in the kernel store; the vmlinuz is still missing.' },
  'kernel.ready': { kind: 'kernel', owner: 'none', data: kernelFiles, description: 'Its vmlinuz (and any initrd) is in the kernel store; it can boot.' },
  'kernel.deleted': { kind: 'kernel', owner: 'none', data: nothing, description: 'A kernel was deleted.' },
  'storage.created': { kind: 'storage', owner: 'none', data: nothing, description: 'The local storage was set up at start.' },
  'network.created': { kind: 'network', owner: 'none', data: z.strictObject(networkSpecViewSchema.shape), description: 'A network was made, by the configuration, an admin or a tenant\'s first need of a private network (data: its spec, without any DNS key secret).' },
  'network.updated': { kind: 'network', owner: 'none', data: z.strictObject(networkSpecViewSchema.shape), description: 'A network was changed, by the configuration or an admin (data: its new spec, without any DNS key secret).' },
  'network.deleted': { kind: 'network', owner: 'none', data: nothing, description: 'An admin deleted a network.' },

  'resource.registered': { kind: 'resource', owner: 'none', data: z.strictObject({ hostId: id }), description: 'An admin registered a physical server, booted by the host named.' },
  'resource.removed': { kind: 'resource', owner: 'none', data: nothing, description: 'An admin removed a physical server.' },
  'resource.discovered': { kind: 'resource', owner: 'none', data: z.strictObject({ mac: z.string(), hostId: id }), description: 'An unknown machine network-booted and became an idle resource.' },
  'resource.power': { kind: 'resource', owner: 'none', data: z.strictObject({ powerState: powerStateSchema, previous: powerStateSchema }), description: "A physical server's BMC reports another power state." },
  'host.enrolled': { kind: 'resource', owner: 'none', data: z.strictObject({ joinTokenId: id, virtualizations: z.array(virtualizationSchema) }), description: 'A host enrolled with a join token and its keys.' },
  'host.registered': { kind: 'resource', owner: 'none', data: nothing, description: 'An enrolled host registered again (its facts were updated).' },
  'host.active': { kind: 'resource', owner: 'none', data: nothing, description: 'A host that had gone quiet sends heartbeats again.' },
  'host.labels-set': {
    kind: 'resource',
    owner: 'none',
    data: z.strictObject({ labels: z.record(z.string(), z.string()) }),
    description: "An admin set a host's labels, which appliances' placement constraints select hosts by.",
  },
  'host.bmc-set': { kind: 'resource', owner: 'none', data: z.strictObject({ address: z.string(), port: z.number().int() }), description: 'An admin set the BMC a host is fenced through.' },
  'host.lease-expired': { kind: 'resource', owner: 'none', data: z.strictObject({ expiresAt: z.string() }), description: "A host's lease ran out (no acknowledged heartbeat for its duration); a second signal is asked for." },
  'host.unresponsive': {
    kind: 'resource',
    owner: 'none',
    data: z.strictObject({ bmc: z.enum(['on', 'off', 'unreachable', 'none']), peersReachable: z.number().int(), peersAsked: z.number().int() }),
    description: 'A host whose lease ran out is not declared failed: no second signal agrees (its BMC reports power on, or another host reaches it).',
  },
  'host.failed': {
    kind: 'resource',
    owner: 'none',
    data: z.strictObject({ bmc: z.enum(['on', 'off', 'unreachable', 'none']), peersReachable: z.number().int(), peersAsked: z.number().int() }),
    description: "A host's lease ran out and a second signal agrees it is gone; it is being fenced.",
  },
  'host.fence-failed': { kind: 'resource', owner: 'none', data: z.strictObject({ reason: z.string(), method: z.string() }), description: 'A failed host could not be fenced (no BMC, or its BMC did not confirm power off); its HA appliances wait; it is tried again.' },
  'host.fenced': { kind: 'resource', owner: 'none', data: z.strictObject({ epoch: z.number().int(), by: z.enum(['bmc']), method: z.string() }), description: 'A failed host was powered off through its BMC and confirmed off; its fencing epoch moved on.' },
  'host.fence-confirmed': { kind: 'resource', owner: 'none', data: z.strictObject({ epoch: z.number().int(), actorId: id.nullable() }), description: 'An admin confirmed by hand that a failed host is off (audit: who); it counts as fenced.' },
  'host.lease-renewed': { kind: 'resource', owner: 'none', data: z.strictObject({ from: z.enum(['expired', 'unresponsive', 'fence-failed']) }), description: 'A host whose lease had run out heartbeats again before it was fenced: it is live, nothing was restarted.' },
  'host.wake-on-lan-set': {
    kind: 'resource',
    owner: 'none',
    data: z.strictObject({ mac: z.string(), address: z.string(), port: z.number().int() }),
    description: 'An admin set how a host without a BMC is woken (a Wake-on-LAN magic packet) for the power manager.',
  },
  'host.powering-off': { kind: 'resource', owner: 'none', data: z.strictObject({ reason: z.string() }), description: 'The power manager took an idle host out of service to power it off (why: idle time, spares, no reservation soon).' },
  'host.powered-off': { kind: 'resource', owner: 'none', data: z.strictObject({ reason: z.string() }), description: "An idle host's BMC confirmed it powered off; it is asleep, not failed." },
  'host.powering-on': { kind: 'resource', owner: 'none', data: z.strictObject({ reason: z.string() }), description: 'The power manager powers a sleeping host on (a reservation ahead, appliances waiting for capacity, or too few spares).' },
  'host.woke': { kind: 'resource', owner: 'none', data: z.strictObject({ bootMs: z.number().int() }), description: 'A host the power manager woke heartbeats again and is offered work; its boot time is measured.' },
  'host.power-failed': {
    kind: 'resource',
    owner: 'none',
    data: z.strictObject({ action: z.enum(['on', 'off']), error: z.string(), attempt: z.number().int() }),
    description: "A host's BMC did not carry out or confirm the power manager's action; it is tried again later (an event when the error is new).",
  },
  'host.power-off-cancelled': { kind: 'resource', owner: 'none', data: z.strictObject({ reason: z.string() }), description: 'A host taken out of service for a power-off that was not confirmed is taken back into service, still on.' },
  'host.rejoined': { kind: 'resource', owner: 'none', data: z.strictObject({ epoch: z.number().int() }), description: 'A fenced host came back, removed every appliance it still had, and is live again at the new epoch.' },
  'host.message-refused': {
    kind: 'resource',
    owner: 'none',
    data: z.strictObject({ subject: z.string(), reason: z.string(), code: errorCode }),
    description: 'A bus message claiming to be the host failed its signature, freshness or addressing check.',
  },
  'ha.tolerance-lost': {
    kind: 'ha',
    owner: 'none',
    data: z.strictObject({ haAppliances: z.number().int().min(0), hostId: id, unplaced: z.number().int().min(1), reason: z.string() }),
    description: 'The fleet no longer tolerates the failure of any one host: if the host named failed, some HA appliances could not restart elsewhere.',
  },
  'ha.tolerance-restored': {
    kind: 'ha',
    owner: 'none',
    data: z.strictObject({ haAppliances: z.number().int().min(0) }),
    description: 'Every HA appliance can restart elsewhere again, whichever single host fails.',
  },
  'host.join-token-created': { kind: 'join-token', owner: 'none', data: z.strictObject({ hostId: id.nullable() }), description: 'An admin made a join token (for a new host, or to re-enrol the one named).' },
  'host.join-token-revoked': { kind: 'join-token', owner: 'none', data: nothing, description: 'An admin revoked an unused join token.' },
  'stack.applied': {
    kind: 'stack',
    owner: 'user',
    data: z.strictObject({ ownerId: id, name: z.string(), version: z.number().int(), created: z.number().int().min(0), changed: z.number().int().min(0), removed: z.number().int().min(0) }),
    description: 'A stack document was applied: its instances were created, changed or removed as planned.',
  },
  'stack.deleted': {
    kind: 'stack',
    owner: 'user',
    data: z.strictObject({ ownerId: id, name: z.string(), removed: z.number().int().min(0) }),
    description: 'A stack was deleted, and every instance it had made was ended.',
  },
} as const satisfies Record<string, EventTypeSpec>;

type Registry = typeof EVENT_TYPES;
export type EventType = keyof Registry;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];
export const eventTypeSchema = z.enum(EVENT_TYPE_NAMES);

/** The kind (or kinds) of object an event of type T is about. */
export type EventKindOf<T extends EventType> = Registry[T]['kind'] extends readonly (infer K)[] ? K : Registry[T]['kind'];
/** The `data` of an event of type T, as the emit site gives it. */
export type EventData<T extends EventType> = z.input<Registry[T]['data']>;
export type OwnerRuleOf<T extends EventType> = Registry[T]['owner'];

/** The appliance events a status write of the appliance reconciler emits (their data: applianceStatus). */
export type ApplianceStatusEventType =
  | 'appliance.running'
  | 'appliance.stopped'
  | 'appliance.unschedulable'
  | 'appliance.failed'
  | 'appliance.moving'
  | 'appliance.moved'
  | 'appliance.move-rolled-back'
  | 'appliance.move-rollback-failed'
  | 'appliance.waiting-for-host'
  | 'appliance.restarting'
  | 'appliance.restarted';

type OwnerField<O extends OwnerRule> = O extends 'user' ? { ownerId: string } : O extends 'user-or-none' ? { ownerId: string | null } : { ownerId?: never };

/** An event of type T before the store gives it an id, a time and a seq. */
export type NewEventOf<T extends EventType> = {
  type: T;
  kind: EventKindOf<T>;
  objectId: string;
  message: string;
  data: EventData<T>;
} & OwnerField<OwnerRuleOf<T>>;

/** Any event an emit site may write: a union over the registry, so the type picks the data. */
export type NewEvent = { [T in EventType]: NewEventOf<T> }[EventType];

const kindsOf = (spec: EventTypeSpec): readonly EventKind[] => (typeof spec.kind === 'string' ? [spec.kind] : spec.kind);

const ownerSchemas: Record<OwnerRule, z.ZodType | undefined> = {
  none: undefined,
  object: undefined,
  user: id,
  'user-or-none': id.nullable(),
};

const envelopes = new Map<string, z.ZodType<NewEvent>>();

/** The schema of a whole new event of `type`: its kind, data and owner as the registry says. */
function envelopeOf(type: EventType): z.ZodType<NewEvent> {
  let schema = envelopes.get(type);
  if (!schema) {
    const spec: EventTypeSpec = EVENT_TYPES[type];
    const kinds = kindsOf(spec);
    const owner = ownerSchemas[spec.owner];
    schema = z.strictObject({
      type: z.literal(type),
      kind: z.enum(kinds as [EventKind, ...EventKind[]]),
      objectId: id,
      message: z.string(),
      data: spec.data,
      ...(owner ? { ownerId: owner } : {}),
    }) as unknown as z.ZodType<NewEvent>;
    envelopes.set(type, schema);
  }
  return schema;
}

/**
 * Checks a new event against the registry and says whom it belongs to. Throws FY_EVENT_INVALID for
 * an unknown type, a kind the type is not about, data that does not match its schema, or an owner
 * missing where the type has one (or given where it has none): a defect at the emit site.
 */
export function checkNewEvent(e: NewEvent): { event: NewEvent; ownerId: string | null } {
  const type = (e as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(EVENT_TYPES, type)) {
    throw new FleetyardError('FY_EVENT_INVALID', `event type ${JSON.stringify(type)} is not registered`, { type: String(type) });
  }
  const parsed = envelopeOf(type as EventType).safeParse(e);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    throw new FleetyardError('FY_EVENT_INVALID', `event ${type} does not match its registered schema: ${first?.path ?? ''} ${first?.message ?? ''}`.trim(), { type, issues });
  }
  const event = parsed.data;
  const rule = EVENT_TYPES[event.type].owner;
  const ownerId = rule === 'object' ? event.objectId : rule === 'none' ? null : ((event as { ownerId: string | null }).ownerId ?? null);
  return { event, ownerId };
}

/**
 * The "owner exceeds their product and quota" class of the wrong-user suite. Every route by which
 * a cloud user changes something of their own is listed here, with calls in which the owner asks
 * for more than the product offers or the quota allows (each with the refusal it must get), or
 * with the reason no product or quota bounds it. The suite fails on a changing route that is not
 * listed, so a new one cannot skip the question.
 */
export interface LimitProbe {
  path: string;
  body?: unknown;
  status: number;
  code: string;
}

export type OwnerLimit = { probes: LimitProbe[] } | { unbounded: string };

export interface OwnerObjects {
  productId: string;
  /** An active request of the owner, which `pausedRequestId` is not. */
  requestId: string;
  requestEndAt: string;
  /** A paused request of the owner and its (stopped) appliance. */
  pausedRequestId: string;
  pausedApplianceId: string;
  userId: string;
  tokenId: string;
  /** A stack of the owner (one instance of the product) and how its documents are written. */
  stackName: string;
  stackDoc: (name: string, opts?: { count?: number; virtualization?: string; ha?: boolean }) => string;
}

const V1 = '/api/v1';
const HOUR = 3_600_000;

export function ownerLimits(o: OwnerObjects, now: Date): Record<string, OwnerLimit> {
  const at = (hours: number) => new Date(now.getTime() + hours * HOUR).toISOString();
  const order = { productId: o.productId, size: 's', startAt: at(24), endAt: at(26) };
  const notOffered = (path: string, body: unknown): LimitProbe => ({ path, body, status: 422, code: 'FY_NOT_OFFERED' });
  return {
    [`POST ${V1}/cloud/quote`]: {
      probes: [notOffered(`${V1}/cloud/quote`, { ...order, virtualization: 'container' }), notOffered(`${V1}/cloud/quote`, { ...order, ha: true })],
    },
    [`POST ${V1}/cloud/requests`]: {
      probes: [
        notOffered(`${V1}/cloud/requests`, { ...order, virtualization: 'qemu' }),
        notOffered(`${V1}/cloud/requests`, { ...order, ha: true }),
        { path: `${V1}/cloud/requests`, body: { ...order, quantity: 5 }, status: 409, code: 'FY_QUOTA_EXCEEDED' },
      ],
    },
    [`POST ${V1}/cloud/requests/{id}/extend`]: {
      probes: [{ path: `${V1}/cloud/requests/${o.requestId}/extend`, body: { endAt: new Date(Date.parse(o.requestEndAt) + 1000 * HOUR).toISOString() }, status: 409, code: 'FY_QUOTA_EXCEEDED' }],
    },
    [`POST ${V1}/cloud/requests/{id}/pause`]: { unbounded: 'pausing stops the meter: it only lowers the cost' },
    [`POST ${V1}/cloud/requests/{id}/resume`]: { unbounded: 'resuming runs what was approved and reserved, at the price it was approved at' },
    [`POST ${V1}/cloud/requests/{id}/cancel`]: { unbounded: 'cancelling ends the cost' },
    [`POST ${V1}/appliances/{id}/start`]: {
      probes: [{ path: `${V1}/appliances/${o.pausedApplianceId}/start`, status: 409, code: 'FY_REQUEST_STATE' }],
    },
    [`POST ${V1}/appliances/{id}/stop`]: { unbounded: 'stopping only lowers what runs; the request stays metered as approved' },
    // Checks cost no capacity, but a command check would run a command on the host: admins only.
    [`PUT ${V1}/appliances/{id}/checks`]: {
      probes: [
        { path: `${V1}/appliances/${o.pausedApplianceId}/checks`, body: { checks: [{ name: 'own', kind: 'command', command: ['/bin/sh', '-c', 'id'] }] }, status: 403, code: 'FY_FORBIDDEN' },
        { path: `${V1}/appliances/${o.pausedApplianceId}/checks`, body: { checks: [{ name: 'ok', kind: 'ping' }, { name: 'own', kind: 'command', command: ['check_dummy', '0'] }] }, status: 403, code: 'FY_FORBIDDEN' },
      ],
    },
    [`POST ${V1}/appliances/{id}/move`]: {
      probes: [notOffered(`${V1}/appliances/${o.pausedApplianceId}/move`, { to: 'container' }), notOffered(`${V1}/appliances/${o.pausedApplianceId}/move`, { to: 'physical' })],
    },
    [`POST ${V1}/stacks/plan`]: {
      probes: [
        notOffered(`${V1}/stacks/plan`, { yaml: o.stackDoc('more', { virtualization: 'qemu' }) }),
        notOffered(`${V1}/stacks/plan`, { yaml: o.stackDoc('more', { ha: true }) }),
      ],
    },
    [`POST ${V1}/stacks/apply`]: {
      probes: [
        notOffered(`${V1}/stacks/apply`, { yaml: o.stackDoc('more', { virtualization: 'container' }) }),
        notOffered(`${V1}/stacks/apply`, { yaml: o.stackDoc(o.stackName, { ha: true }) }),
        { path: `${V1}/stacks/apply`, body: { yaml: o.stackDoc('more', { count: 16 }) }, status: 409, code: 'FY_QUOTA_EXCEEDED' },
      ],
    },
    [`PUT ${V1}/stacks/{name}`]: {
      probes: [
        notOffered(`${V1}/stacks/${o.stackName}`, { yaml: o.stackDoc(o.stackName, { virtualization: 'physical' }) }),
        { path: `${V1}/stacks/${o.stackName}`, body: { yaml: o.stackDoc(o.stackName, { count: 16 }) }, status: 409, code: 'FY_QUOTA_EXCEEDED' },
      ],
    },
    [`DELETE ${V1}/stacks/{name}`]: { unbounded: 'deleting a stack ends what it runs: it only lowers the cost' },
    [`PATCH ${V1}/users/{id}`]: { unbounded: 'an e-mail address, SSH key or display name has no price; role and group are refused (the wrong-user class)' },
    [`PUT ${V1}/users/{id}/password`]: { unbounded: 'a password has no price' },
    [`POST ${V1}/users/{id}/verify-email`]: { unbounded: 'confirming an address has no price (the change it confirms was rate-limited)' },
    [`POST ${V1}/tokens`]: { unbounded: 'a token has no price; it carries its owner\'s limits' },
    [`DELETE ${V1}/tokens/{id}`]: { unbounded: 'revoking a token takes nothing' },
    [`POST ${V1}/auth/logout`]: { unbounded: 'ending a session takes nothing' },
  };
}

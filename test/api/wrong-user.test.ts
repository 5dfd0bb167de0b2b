import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { StackApplyResult, StackDetail } from '../../src/domain/stack-plan.ts';
import type { Group, User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { openEventStream } from '../support/event-stream.ts';
import { fakeBzImage } from '../support/kernel-files.ts';
import { startCloud, TEST_PRICE_LIST, type CloudFixture } from '../support/cloud-fixture.ts';
import { ownerLimits, type OwnerLimit } from './owner-limit-probes.ts';
import { registeredRoutes } from './registered-routes.ts';

/**
 * The cloud's promise to its users: a cloud user sees and touches only their own requests,
 * appliances, ledger, mails, tokens and events, and admin actions need the admin role. It is checked
 * against every route the live API serves, not a hand-picked few: `accessTable` classifies each
 * route, and a route it does not classify fails the suite, so a new route cannot slip through
 * unexamined.
 *
 * User A owns one of everything a user can own (an active request with its running appliance, a
 * ledger with a grant and a posting, mails, a token, a quota, a group). User B then calls every
 * route with A's IDs, with bodies valid enough that a 400 cannot hide the access check; afterwards
 * A's objects must be exactly as they were.
 */

const HOUR = 3_600_000;
const V1 = '/api/v1';

/**
 * Who may call a route. `public`: anyone (the login, health, the API document); `self`: acts on
 * the caller, lists narrowed to the caller's own objects included; `shared`: the catalogue every
 * user reads; `owned`: names an object that has an owner in its path; `admin`: the admin role only.
 */
type Access = 'public' | 'self' | 'shared' | 'owned' | 'admin';

/** What user B (or anyone, on a public route) must get back. */
type Outcome = 'ok' | 'not-found' | 'forbidden' | 'login-failed';

interface Probe {
  /** The path with its query string. */
  path: string;
  body?: unknown;
  /** Defaults to the outcome of the route's access class. */
  expect?: Outcome;
  /** B's own identifiers the answer must show, so an empty answer cannot pass for a narrowed one. */
  shows?: string[];
  /** A file sent as the body of an upload (application/octet-stream) instead of `body`. */
  file?: Buffer;
}

interface Rule {
  access: Access;
  probes: Probe[];
  /**
   * Answers a never-ending event stream: it is read up to an event of B's own made just before,
   * so everything the stream had to send by then is checked.
   */
  stream?: boolean;
}

const DEFAULT_OUTCOME: Record<Access, Outcome> = { public: 'ok', self: 'ok', shared: 'ok', owned: 'not-found', admin: 'forbidden' };
const REFUSALS = { 'not-found': [404, 'FY_NOT_FOUND'], forbidden: [403, 'FY_FORBIDDEN'], 'login-failed': [401, 'FY_LOGIN_FAILED'] } as const;

interface Party {
  user: User;
  password: string;
  group: Group;
  token: string;
  tokenId: string;
  tokenName: string;
  request: CloudRequest;
  mailIds: string[];
}

interface World {
  a: Party & { appliance: Appliance; stack: StackApplyResult };
  b: Party & { revokedToken: string; active: CloudRequest; paused: CloudRequest & { applianceId: string }; stack: StackApplyResult };
  productId: string;
  configGroupId: string;
  imageId: string;
  /** An image created but never given its data, which is what an upload or import is for. */
  queuedImageId: string;
  kernelId: string;
  resourceId: string;
  /** A pending join token the admin made. */
  joinTokenId: string;
  storageId: string;
  networkId: string;
}

/** A stack of one instance of the world's product, for as long as A's request runs (it outlives the hour the world lets pass). */
const stackDoc = (name: string, opts: { count?: number; virtualization?: string; ha?: boolean } = {}): string =>
  `apiVersion: fleetyard.io/v1\nkind: Stack\nmetadata:\n  name: ${name}\nspec:\n  hours: 3\n  appliances:\n    - name: node\n      product: small\n      size: s\n` +
  `${opts.virtualization ? `      virtualization: ${opts.virtualization}\n` : ''}${opts.ha ? '      ha: true\n' : ''}${opts.count ? `      count: ${opts.count}\n` : ''}`;

/** Every route the API serves, by access class, with the calls that exercise it as user B. */
function accessTable(w: World, now: Date): Record<string, Rule> {
  const { a, b } = w;
  const at = (hours: number) => new Date(now.getTime() + hours * HOUR).toISOString();
  const order = { productId: w.productId, size: 's', startAt: at(24), endAt: at(26) };
  const rule = (access: Access, ...probes: Probe[]): Rule => ({ access, probes });
  const pub = (path: string) => rule('public', { path });
  const aMail = a.mailIds[0] as string;
  const bMail = b.mailIds[0] as string;
  return {
    'GET /healthz': pub('/healthz'),
    // The metrics token or an admin's API token; a cloud user's token is refused.
    'GET /metrics': rule('admin', { path: '/metrics' }),
    'GET /openapi.json': pub('/openapi.json'),
    'GET /docs': pub('/docs'),
    'GET /docs/json': pub('/docs/json'),
    'GET /docs/yaml': pub('/docs/yaml'),
    'GET /docs/static/index.html': pub('/docs/static/index.html'),
    'GET /docs/static/swagger-initializer.js': pub('/docs/static/swagger-initializer.js'),
    'GET /docs*': pub('/docs/static/swagger-ui.css'),
    [`POST ${V1}/auth/login`]: rule('public', { path: `${V1}/auth/login`, body: { name: a.user.name, password: 'not-the-password-of-a' }, expect: 'login-failed' }),
    [`POST ${V1}/auth/logout`]: rule('self', { path: `${V1}/auth/logout` }),
    [`GET ${V1}/auth/me`]: rule('self', { path: `${V1}/auth/me`, shows: [b.user.id] }),

    [`GET ${V1}/users`]: rule('admin', { path: `${V1}/users` }),
    [`POST ${V1}/users`]: rule('admin', { path: `${V1}/users`, body: { name: 'mallory', email: 'mallory@example.test', role: 'admin', password: 'mallory-password-1' } }),
    [`GET ${V1}/users/{id}`]: rule('owned', { path: `${V1}/users/${a.user.id}` }, { path: `${V1}/users/${b.user.id}`, expect: 'ok', shows: [b.user.id] }),
    [`PATCH ${V1}/users/{id}`]: rule(
      'owned',
      { path: `${V1}/users/${a.user.id}`, body: { email: 'taken-over@example.test' } },
      { path: `${V1}/users/${b.user.id}`, body: { email: b.user.spec.email }, expect: 'ok' },
      { path: `${V1}/users/${b.user.id}`, body: { groupId: a.group.id }, expect: 'forbidden' },
      { path: `${V1}/users/${b.user.id}`, body: { role: 'admin' }, expect: 'forbidden' },
    ),
    [`PUT ${V1}/users/{id}/password`]: rule(
      'owned',
      { path: `${V1}/users/${a.user.id}/password`, body: { password: 'chosen-by-someone-else' } },
      { path: `${V1}/users/${b.user.id}/password`, body: { password: b.password, currentPassword: b.password }, expect: 'ok' },
    ),
    [`POST ${V1}/users/{id}/verify-email`]: rule('owned', { path: `${V1}/users/${a.user.id}/verify-email`, body: { code: 'ABCDEFGHJK' } }),
    [`GET ${V1}/tokens`]: rule('self', { path: `${V1}/tokens`, shows: [b.tokenId] }),
    [`POST ${V1}/tokens`]: rule('self', { path: `${V1}/tokens`, body: { name: 'b-probe' } }),
    [`DELETE ${V1}/tokens/{id}`]: rule('owned', { path: `${V1}/tokens/${a.tokenId}` }),
    [`GET ${V1}/groups`]: rule('admin', { path: `${V1}/groups` }),
    [`POST ${V1}/groups`]: rule('admin', { path: `${V1}/groups`, body: { name: 'b-group' } }),
    [`GET ${V1}/groups/{id}`]: rule('admin', { path: `${V1}/groups/${a.group.id}` }, { path: `${V1}/groups/${b.group.id}` }),

    [`GET ${V1}/resources`]: rule('admin', { path: `${V1}/resources` }),
    [`GET ${V1}/resources/{id}`]: rule('admin', { path: `${V1}/resources/${w.resourceId}` }),
    [`POST ${V1}/resources`]: rule('admin', {
      path: `${V1}/resources`,
      body: {
        name: 'b-server',
        hostId: w.resourceId,
        mac: '52:54:00:00:00:01',
        bmc: { address: '127.0.0.1', port: 6230, user: 'admin', password: 'secret' },
        capacity: { cpu: 1, memoryMiB: 256, diskMiB: 0 },
      },
    }),
    [`DELETE ${V1}/resources/{id}`]: rule('admin', { path: `${V1}/resources/${w.resourceId}` }),
    [`POST ${V1}/hosts/join-tokens`]: rule(
      'admin',
      { path: `${V1}/hosts/join-tokens`, body: { ttlSeconds: 3600 } },
      { path: `${V1}/hosts/join-tokens`, body: { hostId: w.resourceId, note: 'take over the host' } },
    ),
    [`GET ${V1}/hosts/join-tokens`]: rule('admin', { path: `${V1}/hosts/join-tokens` }),
    [`PUT ${V1}/hosts/{id}/bmc`]: rule('admin', {
      path: `${V1}/hosts/${w.resourceId}/bmc`,
      body: { address: '127.0.0.1', port: 6230, user: 'admin', password: 'secret' },
    }),
    [`PUT ${V1}/hosts/{id}/wake-on-lan`]: rule('admin', { path: `${V1}/hosts/${w.resourceId}/wake-on-lan`, body: { mac: '52:54:00:12:34:56', address: '127.0.0.1', port: 9 } }),
    [`POST ${V1}/hosts/{id}/fence-confirm`]: rule('admin', { path: `${V1}/hosts/${w.resourceId}/fence-confirm` }),
    [`PUT ${V1}/hosts/{id}/labels`]: rule('admin', { path: `${V1}/hosts/${w.resourceId}/labels`, body: { labels: { tier: 'gold' } } }),
    // Admin only, even for B's own: it shows every host of the fleet and its free capacity.
    [`GET ${V1}/appliances/{id}/placement`]: rule('admin', { path: `${V1}/appliances/${a.appliance.id}/placement` }, { path: `${V1}/appliances/${b.paused.applianceId}/placement` }),
    [`GET ${V1}/cloud/requests/{id}/placement`]: rule('admin', { path: `${V1}/cloud/requests/${a.request.id}/placement` }, { path: `${V1}/cloud/requests/${b.request.id}/placement` }),
    [`DELETE ${V1}/hosts/join-tokens/{id}`]: rule('admin', { path: `${V1}/hosts/join-tokens/${w.joinTokenId}` }),
    [`GET ${V1}/storages`]: rule('admin', { path: `${V1}/storages` }),
    [`GET ${V1}/storages/{id}`]: rule('admin', { path: `${V1}/storages/${w.storageId}` }),
    [`GET ${V1}/networks`]: rule('admin', { path: `${V1}/networks` }),
    [`GET ${V1}/networks/{id}`]: rule('admin', { path: `${V1}/networks/${w.networkId}` }),
    [`POST ${V1}/networks`]: rule('admin', { path: `${V1}/networks`, body: { name: 'b-net', bridge: 'fybnet', cidr: '169.254.240.0/24' } }),
    [`PATCH ${V1}/networks/{id}`]: rule('admin', { path: `${V1}/networks/${w.networkId}`, body: { version: 1, mtu: 1400 } }),
    [`DELETE ${V1}/networks/{id}`]: rule('admin', { path: `${V1}/networks/${w.networkId}` }),
    [`GET ${V1}/networks/{id}/addresses`]: rule('admin', { path: `${V1}/networks/${w.networkId}/addresses` }),
    [`GET ${V1}/networks/{id}/dns`]: rule('admin', { path: `${V1}/networks/${w.networkId}/dns` }),
    [`GET ${V1}/kernels`]: rule('admin', { path: `${V1}/kernels` }),
    [`POST ${V1}/kernels`]: rule('admin', { path: `${V1}/kernels`, body: { name: 'b-kernel' } }),
    [`GET ${V1}/kernels/{id}`]: rule('admin', { path: `${V1}/kernels/${w.kernelId}` }),
    // Uploads and imports from server paths: refused before a byte of the body is read.
    [`PUT ${V1}/kernels/{id}/vmlinuz`]: rule('admin', { path: `${V1}/kernels/${w.kernelId}/vmlinuz`, file: fakeBzImage() }),
    [`PUT ${V1}/kernels/{id}/initrd`]: rule('admin', { path: `${V1}/kernels/${w.kernelId}/initrd`, file: Buffer.from('070701') }),
    [`POST ${V1}/kernels/{id}/import`]: rule('admin', { path: `${V1}/kernels/${w.kernelId}/import`, body: { vmlinuzPath: '/etc/shadow', initrdPath: '/etc/passwd' } }),
    [`DELETE ${V1}/kernels/{id}`]: rule('admin', { path: `${V1}/kernels/${w.kernelId}` }),
    [`GET ${V1}/images`]: rule('admin', { path: `${V1}/images` }),
    [`POST ${V1}/images`]: rule('admin', { path: `${V1}/images`, body: { name: 'b-image' } }),
    [`GET ${V1}/images/{id}`]: rule('admin', { path: `${V1}/images/${w.imageId}` }),
    [`PUT ${V1}/images/{id}/file`]: rule('admin', { path: `${V1}/images/${w.queuedImageId}/file`, file: Buffer.alloc(1024) }),
    [`POST ${V1}/images/{id}/import`]: rule('admin', { path: `${V1}/images/${w.queuedImageId}/import`, body: { source: '/etc' } }),
    [`DELETE ${V1}/images/{id}`]: rule('admin', { path: `${V1}/images/${w.imageId}` }),
    // Every event of B's, and none of anyone else's, whatever the filter names.
    [`GET ${V1}/events`]: rule(
      'self',
      { path: `${V1}/events?limit=1000`, shows: [b.user.id, b.request.id] },
      { path: `${V1}/events?limit=1000&ownerId=${a.user.id}`, shows: [b.user.id, b.request.id] },
      { path: `${V1}/events?objectId=${a.request.id}` },
      { path: `${V1}/events?kind=appliance&objectId=${a.appliance.id}` },
      { path: `${V1}/events?objectId=${a.user.id}` },
      { path: `${V1}/events?kind=mail` },
    ),
    [`GET ${V1}/events/stream`]: {
      ...rule(
        'self',
        { path: `${V1}/events/stream?afterSeq=0`, shows: [b.user.id, b.request.id] },
        { path: `${V1}/events/stream?afterSeq=0&ownerId=${a.user.id}`, shows: [b.user.id, b.request.id] },
      ),
      stream: true,
    },

    [`GET ${V1}/appliances`]: rule('self', { path: `${V1}/appliances` }, { path: `${V1}/appliances?name=${a.appliance.name}` }),
    [`POST ${V1}/appliances`]: rule('admin', { path: `${V1}/appliances`, body: { name: 'b-appliance', imageId: w.imageId, ownerId: a.user.id } }),
    [`GET ${V1}/appliances/{id}`]: rule('owned', { path: `${V1}/appliances/${a.appliance.id}` }),
    [`DELETE ${V1}/appliances/{id}`]: rule('admin', { path: `${V1}/appliances/${a.appliance.id}` }),
    [`POST ${V1}/appliances/{id}/start`]: rule('owned', { path: `${V1}/appliances/${a.appliance.id}/start` }),
    [`POST ${V1}/appliances/{id}/stop`]: rule('owned', { path: `${V1}/appliances/${a.appliance.id}/stop` }),
    [`POST ${V1}/appliances/{id}/move`]: rule('owned', { path: `${V1}/appliances/${a.appliance.id}/move`, body: { to: 'sim' } }),
    [`GET ${V1}/appliances/{id}/logs`]: rule('owned', { path: `${V1}/appliances/${a.appliance.id}/logs` }),
    [`GET ${V1}/appliances/{id}/checks`]: rule('owned', { path: `${V1}/appliances/${a.appliance.id}/checks` }),
    [`GET ${V1}/appliances/{id}/dns`]: rule('owned', { path: `${V1}/appliances/${a.appliance.id}/dns` }),
    [`PUT ${V1}/appliances/{id}/checks`]: rule(
      'owned',
      { path: `${V1}/appliances/${a.appliance.id}/checks`, body: { checks: [{ name: 'web', kind: 'tcp', port: 80 }] } },
      { path: `${V1}/appliances/${a.appliance.id}/checks`, body: { checks: [] } },
    ),
    [`GET ${V1}/monitoring/nagios`]: rule('admin', { path: `${V1}/monitoring/nagios` }),

    [`GET ${V1}/products`]: rule('shared', { path: `${V1}/products`, shows: [w.productId] }),
    [`POST ${V1}/products`]: rule('admin', {
      path: `${V1}/products`,
      body: { name: 'b-product', imageId: w.imageId, sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }], virtualizations: ['sim'] },
    }),
    [`GET ${V1}/products/{id}`]: rule('shared', { path: `${V1}/products/${w.productId}`, shows: [w.productId] }),
    [`PATCH ${V1}/products/{id}`]: rule('admin', { path: `${V1}/products/${w.productId}`, body: { description: 'changed by b' } }),

    [`GET ${V1}/config-groups`]: rule('admin', { path: `${V1}/config-groups` }),
    [`POST ${V1}/config-groups`]: rule('admin', { path: `${V1}/config-groups`, body: { name: 'b-group', ansible: { playbook: '- hosts: all\n  tasks: []\n' } } }),
    [`GET ${V1}/config-groups/{id}`]: rule('admin', { path: `${V1}/config-groups/${w.configGroupId}` }),
    [`GET ${V1}/config-groups/{id}/usage`]: rule('admin', { path: `${V1}/config-groups/${w.configGroupId}/usage` }),
    [`PATCH ${V1}/config-groups/{id}`]: rule('admin', { path: `${V1}/config-groups/${w.configGroupId}`, body: { description: 'changed by b' } }),
    [`DELETE ${V1}/config-groups/{id}`]: rule('admin', { path: `${V1}/config-groups/${w.configGroupId}` }),
    // The Puppet token or an admin's; a cloud user may not read even their own appliance's classes.
    [`GET ${V1}/config/puppet/enc/{certname}`]: rule('admin', { path: `${V1}/config/puppet/enc/${a.appliance.id}` }, { path: `${V1}/config/puppet/enc/${a.appliance.spec.hostname}` }),
    [`GET ${V1}/appliances/{id}/configuration`]: rule('admin', { path: `${V1}/appliances/${a.appliance.id}/configuration` }, { path: `${V1}/appliances/${b.paused.applianceId}/configuration` }),
    [`GET ${V1}/config/ansible/inventory`]: rule('admin', { path: `${V1}/config/ansible/inventory` }),

    [`POST ${V1}/cloud/quote`]: rule('self', { path: `${V1}/cloud/quote`, body: order }),
    [`POST ${V1}/cloud/requests`]: rule(
      'self',
      { path: `${V1}/cloud/requests`, body: order, shows: [b.user.id] },
      { path: `${V1}/cloud/requests`, body: { ...order, ownerId: a.user.id }, expect: 'forbidden' },
    ),
    [`GET ${V1}/cloud/requests`]: rule(
      'self',
      { path: `${V1}/cloud/requests`, shows: [b.request.id] },
      { path: `${V1}/cloud/requests?ownerId=${a.user.id}`, shows: [b.request.id] },
      { path: `${V1}/cloud/requests?state=active` },
      { path: `${V1}/cloud/requests?owner=${a.user.name}` },
      { path: `${V1}/cloud/requests?owner=${b.user.name}`, shows: [b.request.id] },
    ),
    // Numbers only: that they count B's own requests alone is checked in cloud-admin-views.test.ts.
    [`GET ${V1}/cloud/requests/counts`]: rule('self', { path: `${V1}/cloud/requests/counts` }),
    [`GET ${V1}/cloud/requests/{id}`]: rule('owned', { path: `${V1}/cloud/requests/${a.request.id}` }),
    [`GET ${V1}/cloud/requests/{id}/appliances`]: rule(
      'owned',
      { path: `${V1}/cloud/requests/${a.request.id}/appliances` },
      { path: `${V1}/cloud/requests/${b.paused.id}/appliances`, expect: 'ok', shows: [b.paused.applianceId] },
    ),
    // The request is resolved, and hidden, before the role is checked; on B's own it is the role.
    [`POST ${V1}/cloud/requests/{id}/approve`]: rule(
      'admin',
      { path: `${V1}/cloud/requests/${a.request.id}/approve`, body: {}, expect: 'not-found' },
      { path: `${V1}/cloud/requests/${b.request.id}/approve`, body: { comment: 'self-approved' } },
    ),
    [`POST ${V1}/cloud/requests/{id}/deny`]: rule(
      'admin',
      { path: `${V1}/cloud/requests/${a.request.id}/deny`, body: {}, expect: 'not-found' },
      { path: `${V1}/cloud/requests/${b.request.id}/deny`, body: {} },
    ),
    [`POST ${V1}/cloud/requests/{id}/pause`]: rule('owned', { path: `${V1}/cloud/requests/${a.request.id}/pause`, body: {} }),
    [`POST ${V1}/cloud/requests/{id}/resume`]: rule('owned', { path: `${V1}/cloud/requests/${a.request.id}/resume`, body: {} }),
    [`POST ${V1}/cloud/requests/{id}/cancel`]: rule('owned', { path: `${V1}/cloud/requests/${a.request.id}/cancel`, body: { comment: 'not mine' } }),
    [`POST ${V1}/cloud/requests/{id}/extend`]: rule('owned', {
      path: `${V1}/cloud/requests/${a.request.id}/extend`,
      body: { endAt: new Date(Date.parse(a.request.spec.endAt) + HOUR).toISOString() },
    }),

    // A stack's name is unique per owner, so a name always means the caller's own stack: B
    // planning or applying a document named like A's makes B's own, and leaves A's as it was.
    [`POST ${V1}/stacks/plan`]: rule('self', { path: `${V1}/stacks/plan`, body: { yaml: stackDoc(a.stack.stack.name) }, shows: [b.user.id] }),
    [`POST ${V1}/stacks/apply`]: rule('self', { path: `${V1}/stacks/apply`, body: { yaml: stackDoc(a.stack.stack.name) }, shows: [b.user.id] }),
    [`PUT ${V1}/stacks/{name}`]: rule('self', { path: `${V1}/stacks/${b.stack.stack.name}`, body: { yaml: stackDoc(b.stack.stack.name) }, shows: [b.stack.stack.id] }),
    [`GET ${V1}/stacks`]: rule('self', { path: `${V1}/stacks`, shows: [b.stack.stack.id] }, { path: `${V1}/stacks?ownerId=${a.user.id}`, shows: [b.stack.stack.id] }),
    [`GET ${V1}/stacks/{name}`]: rule('owned', { path: `${V1}/stacks/${a.stack.stack.name}?ownerId=${a.user.id}` }, { path: `${V1}/stacks/${b.stack.stack.name}`, expect: 'ok', shows: [b.stack.stack.id] }),
    [`DELETE ${V1}/stacks/{name}`]: rule('owned', { path: `${V1}/stacks/${a.stack.stack.name}?ownerId=${a.user.id}` }),

    [`GET ${V1}/quotas/{kind}/{id}`]: rule(
      'owned',
      { path: `${V1}/quotas/users/${a.user.id}` },
      { path: `${V1}/quotas/groups/${a.group.id}` },
      { path: `${V1}/quotas/users/${b.user.id}`, expect: 'ok', shows: [b.user.id] },
      { path: `${V1}/quotas/groups/${b.group.id}`, expect: 'ok', shows: [b.group.id] },
    ),
    [`PUT ${V1}/quotas/{kind}/{id}`]: rule(
      'admin',
      { path: `${V1}/quotas/users/${a.user.id}`, body: { appliances: 0 } },
      { path: `${V1}/quotas/users/${b.user.id}`, body: { appliances: 99 } },
      { path: `${V1}/quotas/groups/${b.group.id}`, body: { appliances: 99 } },
    ),

    [`GET ${V1}/ccu/price-list`]: rule('shared', { path: `${V1}/ccu/price-list` }),
    [`PUT ${V1}/ccu/price-list`]: rule('admin', { path: `${V1}/ccu/price-list`, body: TEST_PRICE_LIST }),
    [`GET ${V1}/ccu/balance`]: rule('self', { path: `${V1}/ccu/balance`, shows: [b.user.id] }, { path: `${V1}/ccu/balance?userId=${a.user.id}`, expect: 'not-found' }),
    [`GET ${V1}/ccu/ledger`]: rule('self', { path: `${V1}/ccu/ledger` }, { path: `${V1}/ccu/ledger?userId=${a.user.id}`, expect: 'not-found' }),
    [`GET ${V1}/ccu/statement.csv`]: rule(
      'self',
      { path: `${V1}/ccu/statement.csv` },
      { path: `${V1}/ccu/statement.csv?userId=${a.user.id}`, expect: 'not-found' },
    ),
    [`GET ${V1}/ccu/usage`]: rule('self', { path: `${V1}/ccu/usage`, shows: [b.user.id] }, { path: `${V1}/ccu/usage?userId=${a.user.id}`, expect: 'not-found' }),
    [`POST ${V1}/ccu/grants`]: rule(
      'admin',
      { path: `${V1}/ccu/grants`, body: { userId: b.user.id, ccu: 1000, note: 'to myself' } },
      { path: `${V1}/ccu/grants`, body: { userId: a.user.id, ccu: 1, note: 'to a' } },
    ),
    [`POST ${V1}/ccu/rebuild`]: rule('admin', { path: `${V1}/ccu/rebuild` }),

    [`GET ${V1}/mails`]: rule(
      'self',
      { path: `${V1}/mails`, shows: [bMail] },
      { path: `${V1}/mails?to=${encodeURIComponent(a.user.spec.email)}` },
      { path: `${V1}/mails?relatedKind=request&relatedId=${a.request.id}` },
      { path: `${V1}/mails?relatedKind=user&relatedId=${a.user.id}` },
    ),
    [`GET ${V1}/dashboard`]: rule('admin', { path: `${V1}/dashboard` }, { path: `${V1}/dashboard?hours=48` }),
    [`GET ${V1}/monitoring/prometheus-sd`]: rule('self', { path: `${V1}/monitoring/prometheus-sd`, shows: [b.paused.applianceId] }),
    [`GET ${V1}/ha/plan`]: rule('admin', { path: `${V1}/ha/plan` }, { path: `${V1}/ha/plan?fail=${a.appliance.status.hostId ?? 'none'}` }),
    [`GET ${V1}/power/plan`]: rule('admin', { path: `${V1}/power/plan` }),
    [`POST ${V1}/mails/{id}/retry`]: rule('admin', { path: `${V1}/mails/${aMail}/retry` }, { path: `${V1}/mails/${bMail}/retry` }),
  };
}

/** How a call authenticates: not at all, a bearer token, or the session cookie (with or without CSRF). */
type Credentials = { bearer: string } | { cookie: string; csrf?: string } | null;

interface Answer {
  status: number;
  text: string;
  code: string | undefined;
  message: string | undefined;
}

/** One call over the real socket. The deadline only turns a hang (a stream let through) into a failure. */
async function send(url: string, cred: Credentials, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  const file = Buffer.isBuffer(body) ? body : undefined;
  if (body !== undefined) headers['content-type'] = file ? 'application/octet-stream' : 'application/json';
  if (cred && 'bearer' in cred) headers.authorization = `Bearer ${cred.bearer}`;
  if (cred && 'cookie' in cred) {
    headers.cookie = cred.cookie;
    if (cred.csrf !== undefined) headers['x-csrf-token'] = cred.csrf;
  }
  const res = await fetch(url + path, {
    method,
    headers,
    body: file ? new Uint8Array(file) : body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, text, ...errorOf(text) };
}

/** The code and message of an error body; none for any other answer. */
function errorOf(text: string): { code: string | undefined; message: string | undefined } {
  let error: { code?: string; message?: string } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  return { code: error?.code, message: error?.message };
}

/**
 * The owners of the events an answer of the event routes shows (a page's items, or the data of
 * each message of a stream): B must see no event that is not B's.
 */
function eventOwners(route: string, text: string): Array<string | null> {
  if (!route.startsWith(`GET ${V1}/events`)) return [];
  if (route.endsWith('/stream')) {
    return [...text.matchAll(/^data: (.*)$/gm)].map((m) => (JSON.parse(m[1] as string) as { ownerId: string | null }).ownerId);
  }
  return (JSON.parse(text) as { items: Array<{ ownerId: string | null }> }).items.map((e) => e.ownerId);
}

/** One probe of one served route; HEAD routes run the probes of their GET. */
interface Call {
  method: string;
  route: string;
  access: Access;
  probe: Probe;
  stream: boolean;
}

const ruleKey = (route: string) => route.replace(/^HEAD /, 'GET ');

function callsOf(table: Record<string, Rule>, served: Iterable<string>): Call[] {
  const out: Call[] = [];
  for (const route of served) {
    const rule = table[ruleKey(route)];
    if (!rule) continue; // the classification test names it
    const method = route.slice(0, route.indexOf(' '));
    for (const probe of rule.probes) out.push({ method, route, access: rule.access, probe, stream: rule.stream ?? false });
  }
  return out;
}

const firstPerRoute = (calls: Call[]) => calls.filter((c, i) => calls.findIndex((d) => d.route === c.route) === i);
const isUnsafe = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
const is2xx = (status: number) => status >= 200 && status < 300;
const describeCall = (c: Call) => `${c.method} ${c.probe.path}`;
/**
 * Whether an answer got past authentication, the role and the owner check: a success, or an error
 * of what comes after them (the simulated driver keeps no console, so logs answer 422).
 */
const passedAccess = (r: Answer) =>
  is2xx(r.status) || (r.status < 500 && r.code !== undefined && !['FY_NOT_FOUND', 'FY_FORBIDDEN', 'FY_UNAUTHENTICATED', 'FY_VALIDATION', 'FY_BAD_ID'].includes(r.code));
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The paths `METHOD /a/{id}/b` (or `/docs*`) answers. */
const routePattern = (route: string) =>
  new RegExp(`^${route.slice(route.indexOf(' ') + 1).split(/(\{[^}]+\}|\*)/).map((p) => (p === '*' ? '.*' : p.startsWith('{') ? '[^/]+' : escapeRe(p))).join('')}$`);

/**
 * Labels of A's identifiers that appear in `text`, leaving out what the caller sent itself (a 404
 * may name the ID it was asked about). Matches are whole words, so address 10.0.0.2 is not found
 * in 10.0.0.20.
 */
function leaked(text: string, secrets: Map<string, string>, sent: string): string[] {
  const found: string[] = [];
  for (const [label, value] of secrets) {
    if (sent.includes(value)) continue;
    if (new RegExp(`(?<![\\w.])${escapeRe(value)}(?!\\w|\\.\\d)`).test(text)) found.push(label);
  }
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The probe with each of A's IDs replaced by one that was never used, and the replacements. */
function withUnusedIds(probe: Probe, secrets: Map<string, string>): { probe: Probe; swaps: Array<[string, string]> } {
  let path = probe.path;
  let body = probe.body === undefined ? undefined : JSON.stringify(probe.body);
  const swaps: Array<[string, string]> = [];
  for (const id of new Set([...secrets.values()].filter((v) => UUID.test(v)))) {
    if (!path.includes(id) && !body?.includes(id)) continue;
    const fresh = uuidv7();
    path = path.replaceAll(id, fresh);
    body = body?.replaceAll(id, fresh);
    swaps.push([fresh, id]);
  }
  return { probe: { ...probe, path, body: body === undefined ? undefined : JSON.parse(body) }, swaps };
}

describe('a cloud user sees and touches only their own objects, on every route', () => {
  let cloud: CloudFixture;
  let w: World;
  let table: Record<string, Rule>;
  let served: Set<string>;
  let secrets: Map<string, string>;
  let baseline: Snapshot;
  let seqBefore: number;

  const call = (cred: Credentials, c: Call, probe: Probe = c.probe) =>
    c.stream && c.method === 'GET' && cred !== null && 'bearer' in cred && cred.bearer === w.b.token
      ? streamAsB(probe.path)
      : send(cloud.cp.url, cred, c.method, probe.path, c.method === 'HEAD' || c.method === 'GET' ? undefined : (probe.file ?? probe.body));

  /**
   * B's stream, read until it brings an event B caused just before (a login of B's), so it has
   * sent everything it would ever send up to then; the answer is all it sent, as text. A stream
   * that never brings it fails the probe as if it had answered 504.
   */
  async function streamAsB(path: string): Promise<Answer> {
    const since = await cloud.cp.store.read.events.lastSeq();
    await login(cloud.cp.url, w.b.user.name, w.b.password);
    const [marker] = await cloud.cp.store.read.events.list({ afterSeq: since, ownerId: w.b.user.id, type: 'user.logged-in' });
    assert.ok(marker, 'the login of B made an event');
    const s = await openEventStream(cloud.cp.url, { authorization: `Bearer ${w.b.token}` }, path);
    try {
      if (s.status !== 200) return { status: s.status, text: s.text(), ...errorOf(s.text()) };
      const reached = await s.until((e) => e.seq >= marker.seq, `${path} reaching B's login`, 10_000).then(() => true, () => false);
      if (!reached) return { status: 504, text: s.text(), code: undefined, message: `the stream never brought B's own login (seq ${marker.seq})` };
      return { status: s.status, text: s.text(), code: undefined, message: undefined };
    } finally {
      s.close();
    }
  }
  const asB = (): Credentials => ({ bearer: w.b.token });

  before(async () => {
    cloud = await startCloud({ drivers: [new SimDriver({})], policy: { autoApproveMaxCcu: 1_000, provisionLeadMs: 10 * 60_000 } });
    w = await makeWorld(cloud);
    table = accessTable(w, cloud.clock.now());
    served = registeredRoutes(cloud.cp.app);
    secrets = await identifiersOf(cloud, w);
    baseline = await snapshot(cloud, w);
    seqBefore = await cloud.cp.store.read.events.lastSeq();
  });

  after(async () => {
    await cloud?.close();
  });

  it('classifies every route the API serves, and only those', (t) => {
    const unclassified = [...served].filter((r) => !table[ruleKey(r)]);
    assert.deepEqual(unclassified, [], `routes with no access class: add them to accessTable: ${unclassified.join(', ')}`);
    const stale = Object.keys(table).filter((r) => !served.has(r));
    assert.deepEqual(stale, [], `classified but not served: ${stale.join(', ')}`);
    for (const [route, rule] of Object.entries(table)) {
      assert.ok(rule.probes.length > 0, `${route} has no probe`);
      for (const p of rule.probes) assert.match(p.path.split('?')[0] as string, routePattern(route), `a probe of ${route} calls another route`);
    }
    const counts = new Map<Access, { routes: number; heads: number }>();
    for (const r of served) {
      const n = counts.get((table[ruleKey(r)] as Rule).access) ?? { routes: 0, heads: 0 };
      if (r.startsWith('HEAD ')) n.heads++;
      else n.routes++;
      counts.set((table[ruleKey(r)] as Rule).access, n);
    }
    t.diagnostic(`${served.size} routes served: ${[...counts].map(([k, n]) => `${k} ${n.routes} (+${n.heads} HEAD)`).join(', ')}`);
  });

  it('answers 401 FY_UNAUTHENTICATED on every non-public route without credentials, or with a revoked or forged token', async () => {
    const forged = w.a.token.replace(/_[^_]+$/, `_${'A'.repeat(43)}`);
    const failures: string[] = [];
    for (const c of firstPerRoute(callsOf(table, served)).filter((c) => c.access !== 'public')) {
      for (const [how, cred] of [['no credentials', null], ['a revoked token', { bearer: w.b.revokedToken }], ['a forged token', { bearer: forged }]] as const) {
        const r = await call(cred, c);
        const codeOk = c.method === 'HEAD' || r.code === 'FY_UNAUTHENTICATED';
        if (r.status !== 401 || !codeOk) failures.push(`${describeCall(c)} with ${how}: ${r.status} ${r.code ?? ''}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('refuses a session cookie without the right x-csrf-token on every unsafe route', async () => {
    const session = await login(cloud.cp.url, w.b.user.name, w.b.password);
    const failures: string[] = [];
    for (const c of firstPerRoute(callsOf(table, served)).filter((c) => c.access !== 'public' && isUnsafe(c.method))) {
      for (const csrf of [undefined, 'x'.repeat(43)]) {
        const r = await call({ cookie: session.cookie, csrf }, c);
        if (r.status !== 403 || r.code !== 'FY_CSRF') failures.push(`${describeCall(c)} with csrf ${csrf ?? 'missing'}: ${r.status} ${r.code ?? ''}`);
      }
    }
    assert.deepEqual(failures, []);
    // The session itself is good: it reads without the header and changes with it.
    assert.equal((await send(cloud.cp.url, { cookie: session.cookie }, 'GET', `${V1}/auth/me`)).status, 200);
    const quote = table[`POST ${V1}/cloud/quote`]?.probes[0] as Probe;
    assert.equal((await send(cloud.cp.url, session, 'POST', quote.path, quote.body)).status, 200);
  });

  /** Runs every probe of the given classes as B and checks each answer against its outcome. */
  async function sweepAsB(classes: Access[]): Promise<string[]> {
    const failures: string[] = [];
    for (const c of callsOf(table, served).filter((c) => classes.includes(c.access))) {
      const problem = await checkAsB(c);
      if (problem) failures.push(`${describeCall(c)} (${c.access}): ${problem}`);
    }
    return failures;
  }

  async function checkAsB(c: Call): Promise<string | undefined> {
    const outcome = c.probe.expect ?? DEFAULT_OUTCOME[c.access];
    const cred = c.access === 'public' ? null : asB();
    const r = await call(cred, c);
    const head = c.method === 'HEAD';
    if (outcome === 'ok') {
      const good = c.access === 'public' ? r.status < 400 : is2xx(r.status);
      if (!good) return `answered ${r.status} ${r.code ?? ''} ${r.message ?? ''}`;
    } else {
      const [status, code] = REFUSALS[outcome];
      if (r.status !== status || (!head && r.code !== code)) return `answered ${r.status} ${r.code ?? ''} ${r.message ?? ''}, not ${status} ${code}`;
    }
    const leaks = leaked(r.text, secrets, c.probe.path + JSON.stringify(c.probe.body ?? null));
    if (leaks.length > 0) return `the answer shows ${leaks.join(', ')}`;
    if (is2xx(r.status)) {
      const foreign = eventOwners(c.route, r.text).filter((o) => o !== w.b.user.id);
      if (foreign.length > 0) return `the answer shows ${foreign.length} event(s) of other owners: ${[...new Set(foreign)].join(', ')}`;
    }
    const missing = head ? [] : (c.probe.shows ?? []).filter((s) => !r.text.includes(s));
    if (missing.length > 0) return `the answer lacks B's own ${missing.join(', ')}`;
    if (outcome === 'not-found') {
      // An object of someone else must look exactly like one that never existed.
      const twin = withUnusedIds(c.probe, secrets);
      if (twin.swaps.length > 0) {
        const t = await call(cred, c, twin.probe);
        const message = twin.swaps.reduce((m, [fresh, id]) => m.replaceAll(fresh, id), t.message ?? '');
        if (t.status !== r.status || t.code !== r.code || message !== (r.message ?? '')) {
          return `differs from an unused ID: ${r.status} ${r.code ?? ''} "${r.message ?? ''}" vs ${t.status} ${t.code ?? ''} "${message}"`;
        }
      }
    }
    return undefined;
  }

  it('refuses every admin-only route to a cloud user, whatever the object', async () => {
    assert.deepEqual(await sweepAsB(['admin']), []);
  });

  it("answers 404 FY_NOT_FOUND for another user's object on every owned route, as for one that never existed", async () => {
    assert.deepEqual(await sweepAsB(['owned']), []);
  });

  it("shows only the caller's own objects on every self, shared and public route", async () => {
    assert.deepEqual(await sweepAsB(['self', 'shared', 'public']), []);
  });

  it('used real objects: their owner and the admin get past the check that stopped B', async () => {
    const failures: string[] = [];
    for (const c of callsOf(table, served).filter((c) => c.method === 'GET' && !c.stream)) {
      const outcome = c.probe.expect ?? DEFAULT_OUTCOME[c.access];
      const who = outcome === 'not-found' ? { bearer: w.a.token } : outcome === 'forbidden' ? { bearer: cloud.cp.adminToken as string } : undefined;
      if (!who) continue;
      const r = await call(who, c);
      if (!passedAccess(r)) failures.push(`${describeCall(c)} as the ${outcome === 'not-found' ? 'owner' : 'admin'}: ${r.status} ${r.code ?? ''} ${r.message ?? ''}`);
    }
    assert.deepEqual(failures, []);
  });

  it("shows no mail of another user to one who takes their e-mail address", async () => {
    const b = asB();
    const own = w.b.user.spec.email;
    const patch = await send(cloud.cp.url, b, 'PATCH', `${V1}/users/${w.b.user.id}`, { email: w.a.user.spec.email });
    assert.equal(patch.status, 200, patch.text);
    try {
      for (const path of [`${V1}/mails`, `${V1}/mails?to=${encodeURIComponent(w.a.user.spec.email)}`, `${V1}/mails?relatedKind=request&relatedId=${w.a.request.id}`]) {
        const r = await send(cloud.cp.url, b, 'GET', path);
        assert.equal(r.status, 200, r.text);
        const shown = leaked(r.text, secrets, w.a.user.spec.email);
        assert.deepEqual(shown, [], `${path} shows ${shown.join(', ')}`);
      }
    } finally {
      const back = await send(cloud.cp.url, b, 'PATCH', `${V1}/users/${w.b.user.id}`, { email: own });
      assert.equal(back.status, 200, back.text);
    }
  });

  it('refuses the owner what their product and quota do not allow, on every route that changes an owned object', async () => {
    const b = w.b;
    const limits: Record<string, OwnerLimit> = ownerLimits(
      { productId: w.productId, requestId: b.active.id, requestEndAt: b.active.spec.endAt, pausedRequestId: b.paused.id, pausedApplianceId: b.paused.applianceId, userId: b.user.id, tokenId: b.tokenId, stackName: b.stack.stack.name, stackDoc },
      cloud.clock.now(),
    );
    const changing = Object.entries(table).filter(([route, r]) => (r.access === 'owned' || r.access === 'self') && isUnsafe(route.slice(0, route.indexOf(' ')))).map(([route]) => route);
    const unlisted = changing.filter((route) => !limits[route]);
    assert.deepEqual(unlisted, [], `routes that change an owned object with no owner-limit entry: add them to owner-limit-probes.ts`);
    assert.deepEqual(Object.keys(limits).filter((route) => !changing.includes(route)), [], 'owner-limit entries for routes that are not owned or self changes');
    const failures: string[] = [];
    const before = await cloud.admin.ok<Appliance>('GET', `${V1}/appliances/${b.paused.applianceId}`);
    for (const [route, limit] of Object.entries(limits)) {
      if ('unbounded' in limit) continue;
      for (const p of limit.probes) {
        assert.match(p.path, routePattern(route), `a probe of ${route} calls another route`);
        const r = await send(cloud.cp.url, asB(), route.slice(0, route.indexOf(' ')), p.path, p.body);
        if (r.status !== p.status || r.code !== p.code) failures.push(`${route} ${JSON.stringify(p.body ?? null)}: ${r.status} ${r.code ?? ''} ${r.message ?? ''}, not ${p.status} ${p.code}`);
      }
    }
    assert.deepEqual(failures, []);
    const after = await cloud.admin.ok<Appliance>('GET', `${V1}/appliances/${b.paused.applianceId}`);
    assert.deepEqual([after.spec.desiredState, after.spec.move ?? null, after.generation], [before.spec.desiredState, before.spec.move ?? null, before.generation], 'nothing refused was carried out');
    const active = await cloud.admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${b.active.id}`);
    assert.equal(active.spec.endAt, b.active.spec.endAt, 'the refused extension did not happen');
    const stack = await cloud.admin.ok<StackDetail>('GET', `${V1}/stacks/${b.stack.stack.name}?ownerId=${b.user.id}`);
    assert.deepEqual([stack.version, stack.instances.length], [b.stack.stack.version, 1], 'no refused stack was applied');
  });

  it("leaves the other user's objects exactly as they were", async () => {
    assert.deepEqual(await snapshot(cloud, w), baseline);
    const a = await cloud.admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${w.a.request.id}`);
    assert.equal(a.status.state, 'active');
    const appliance = await cloud.admin.ok<Appliance>('GET', `${V1}/appliances/${w.a.appliance.id}`);
    assert.equal(appliance.status.phase, 'running');
    const me = await send(cloud.cp.url, { bearer: w.a.token }, 'GET', `${V1}/auth/me`);
    assert.equal(me.status, 200, 'the token of A still works');
    const events = (await cloud.cp.store.read.events.list({ afterSeq: seqBefore, limit: 1000 })).filter((e) => [...secrets.values()].includes(e.objectId));
    assert.deepEqual(events.map((e) => `${e.type} ${e.message}`), [], 'nothing happened to the objects of A');
    await login(cloud.cp.url, w.a.user.name, w.a.password); // the password of A still works
  });
});

/** Logs in with a password: the session cookie and its CSRF token. */
async function login(url: string, name: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}${V1}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
    signal: AbortSignal.timeout(15_000),
  });
  assert.equal(res.status, 200, `login of ${name}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** A user with a password, a group, a quota, 100 CCU and an API token made from a web session. */
async function makeParty(cloud: CloudFixture, name: string): Promise<Omit<Party, 'request' | 'mailIds'>> {
  const password = `${name}-password-correct-horse`;
  const group = await cloud.admin.ok<Group>('POST', `${V1}/groups`, { name: `team-${name}` });
  const user = await cloud.admin.ok<User>('POST', `${V1}/users`, { name, email: `${name}@example.test`, groupId: group.id, password });
  await cloud.admin.ok('PUT', `${V1}/quotas/users/${user.id}`, { appliances: 4, cpu: 8, memoryMiB: 4096 });
  await cloud.admin.ok('POST', `${V1}/ccu/grants`, { userId: user.id, ccu: 100, note: 'welcome credits' });
  const session = await login(cloud.cp.url, name, password);
  const tokenName = `${name}-laptop`;
  const created = await send(cloud.cp.url, session, 'POST', `${V1}/tokens`, { name: tokenName });
  assert.equal(created.status, 201, created.text);
  const { id, token } = JSON.parse(created.text) as { id: string; token: string };
  return { user, password, group, token, tokenId: id, tokenName };
}

/** Orders the product with a bearer token; returns the request once it reaches `state`. */
async function submitOrder(cloud: CloudFixture, token: string, fromHours: number, toHours: number, state: string): Promise<CloudRequest> {
  const now = cloud.clock.now().getTime();
  const body = { productId: cloud.product.id, size: 's', startAt: new Date(now + fromHours * HOUR).toISOString(), endAt: new Date(now + toHours * HOUR).toISOString() };
  const r = await send(cloud.cp.url, { bearer: token }, 'POST', `${V1}/cloud/requests`, body);
  assert.equal(r.status, 201, r.text);
  const id = (JSON.parse(r.text) as CloudRequest).id;
  let current: CloudRequest | undefined;
  await cloud.until(async () => (current = await cloud.admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${id}`)).status.state === state, `request ${id} ${state}`);
  return current as CloudRequest;
}

/** Applies a stack of one instance with a bearer token; returns it once its request is active. */
async function applyStack(cloud: CloudFixture, token: string, name: string): Promise<StackApplyResult> {
  const r = await send(cloud.cp.url, { bearer: token }, 'POST', `${V1}/stacks/apply`, { yaml: stackDoc(name) });
  assert.equal(r.status, 200, r.text);
  const applied = JSON.parse(r.text) as StackApplyResult;
  const id = applied.done[0]?.id as string;
  await cloud.until(async () => (await cloud.admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${id}`)).status.state === 'active', `the request of stack ${name} active`);
  return applied;
}

/** Waits until every mail to `to` has been sent, so none changes while B probes; returns their IDs. */
async function sentMails(cloud: CloudFixture, to: string, atLeast: number): Promise<string[]> {
  let ids: string[] = [];
  await cloud.until(async () => {
    const page = await cloud.admin.ok<{ items: Array<{ id: string; state: string }> }>('GET', `${V1}/mails?to=${encodeURIComponent(to)}`);
    ids = page.items.map((m) => m.id);
    return page.items.length >= atLeast && page.items.every((m) => m.state === 'sent');
  }, `${atLeast} mails sent to ${to}`);
  return ids;
}

/**
 * A with a request active now (auto-approved; on the simulated driver its appliance runs at once),
 * its approval and activation mails sent, and a posting after an hour on the fake clock; B with a
 * request for tomorrow, its approval mail, and one revoked token.
 */
async function makeWorld(cloud: CloudFixture): Promise<World> {
  // Suffixed, so the names do not match the examples of the API document.
  const suffix = randomBytes(2).toString('hex');
  const a0 = await makeParty(cloud, `alice-${suffix}`);
  const b0 = await makeParty(cloud, `bob-${suffix}`);
  const aRequest = await submitOrder(cloud, a0.token, 0, 3, 'active');
  const appliance = await cloud.admin.ok<Appliance>('GET', `${V1}/appliances/${aRequest.status.applianceIds[0]}`);
  assert.equal(appliance.status.phase, 'running');
  const aStack = await applyStack(cloud, a0.token, 'shop');
  const bRequest = await submitOrder(cloud, b0.token, 24, 26, 'approved');
  // For the owner-limit class: B's own request running now, and another one paused.
  const bActive = await submitOrder(cloud, b0.token, 0, 2, 'active');
  const bPausing = await submitOrder(cloud, b0.token, 0, 2, 'active');
  assert.equal((await send(cloud.cp.url, { bearer: b0.token }, 'POST', `${V1}/cloud/requests/${bPausing.id}/pause`, {})).status, 202);
  await cloud.until(async () => (await cloud.admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${bPausing.id}`)).status.state === 'paused', 'B\'s request paused');
  const bPaused = await cloud.admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${bPausing.id}`);
  const bStack = await applyStack(cloud, b0.token, 'b-lab');
  // A CCU quota, so asking for too much time is refused; room for what B's probes order (a
  // request and a stack of one), and no more.
  await cloud.admin.ok('PUT', `${V1}/quotas/users/${b0.user.id}`, { appliances: 6, cpu: 8, memoryMiB: 4096, ccuPerMonth: 500 });
  const aMails = await sentMails(cloud, a0.user.spec.email, 2);
  assert.ok(cloud.mailsTo(a0.user.spec.email).some((m) => /approved/i.test(m.subject)), 'the approval mail reached A');
  const bMails = await sentMails(cloud, b0.user.spec.email, 1);

  cloud.clock.advance(HOUR);
  await cloud.until(async () => {
    const ledger = await cloud.admin.ok<{ items: Array<{ kind: string }> }>('GET', `${V1}/ccu/ledger?userId=${a0.user.id}`);
    return ledger.items.some((e) => e.kind === 'debit');
  }, 'the first posting of A');

  const old = await send(cloud.cp.url, { bearer: b0.token }, 'POST', `${V1}/tokens`, { name: 'old-laptop' });
  const revoked = JSON.parse(old.text) as { id: string; token: string };
  assert.equal((await send(cloud.cp.url, { bearer: b0.token }, 'DELETE', `${V1}/tokens/${revoked.id}`)).status, 204);

  const firstId = async (path: string) => ((await cloud.admin.ok<{ items: Array<{ id: string }> }>('GET', path)).items[0] as { id: string }).id;
  const kernel = await cloud.admin.ok<{ id: string }>('POST', `${V1}/kernels`, { name: 'k' });
  const queued = await cloud.admin.ok<{ id: string }>('POST', `${V1}/images`, { name: 'waiting-for-data' });
  return {
    a: { ...a0, request: aRequest, appliance, mailIds: aMails, stack: aStack },
    b: { ...b0, request: bRequest, mailIds: bMails, revokedToken: revoked.token, active: bActive, paused: { ...bPaused, applianceId: bPaused.status.applianceIds[0] as string }, stack: bStack },
    productId: cloud.product.id,
    imageId: cloud.product.spec.imageId,
    queuedImageId: queued.id,
    kernelId: kernel.id,
    resourceId: await firstId(`${V1}/resources`),
    joinTokenId: (await cloud.admin.ok<{ id: string }>('POST', `${V1}/hosts/join-tokens`, { note: 'for a new host' })).id,
    storageId: await firstId(`${V1}/storages`),
    networkId: await firstId(`${V1}/networks`),
    configGroupId: (await cloud.admin.ok<{ id: string }>('POST', `${V1}/config-groups`, { name: 'motd', ansible: { playbook: '- hosts: all\n  gather_facts: false\n  tasks: []\n' } })).id,
  };
}

interface LedgerEntry {
  id: string;
  usage: { id: string; meterId: string } | null;
}

/** Everything that names A or one of A's objects, by label; none of it may reach B. */
async function identifiersOf(cloud: CloudFixture, w: World): Promise<Map<string, string>> {
  const { a } = w;
  const out = new Map<string, string>([
    ['A user id', a.user.id],
    ['A name', a.user.name],
    ['A e-mail', a.user.spec.email],
    ['A group id', a.group.id],
    ['A group name', a.group.name],
    ['A token id', a.tokenId],
    ['A token', a.token],
    ['A token name', a.tokenName],
    ['A request id', a.request.id],
    ['A request name', a.request.name],
    ['A appliance id', a.appliance.id],
    ['A appliance name', a.appliance.name],
    ['A hostname', a.appliance.spec.hostname],
    ['A stack id', a.stack.stack.id],
    ['A stack request id', a.stack.done[0]?.id as string],
  ]);
  const stackRequest = await cloud.admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${a.stack.done[0]?.id}`);
  out.set('A stack request name', stackRequest.name);
  if (a.appliance.status.address) out.set('A address', a.appliance.status.address);
  a.mailIds.forEach((id, i) => out.set(`A mail ${i}`, id));
  const mails = await cloud.admin.ok<{ items: Array<{ messageId: string | null }> }>('GET', `${V1}/mails?to=${encodeURIComponent(a.user.spec.email)}`);
  mails.items.forEach((m, i) => m.messageId && out.set(`A mail ${i} message id`, m.messageId));
  const ledger = await cloud.admin.ok<{ items: LedgerEntry[] }>('GET', `${V1}/ccu/ledger?userId=${a.user.id}`);
  ledger.items.forEach((e, i) => {
    out.set(`A ledger entry ${i}`, e.id);
    if (e.usage) {
      out.set(`A usage ${i}`, e.usage.id);
      out.set(`A meter ${i}`, e.usage.meterId);
    }
  });
  return out;
}

type Snapshot = Record<string, unknown>;

/** What B must not be able to change about A, read as the admin and as A. */
async function snapshot(cloud: CloudFixture, w: World): Promise<Snapshot> {
  const { a } = w;
  const admin = cloud.admin;
  const request = await admin.ok<CloudRequest>('GET', `${V1}/cloud/requests/${a.request.id}`);
  const appliance = await admin.ok<Appliance>('GET', `${V1}/appliances/${a.appliance.id}`);
  const user = await admin.ok<User>('GET', `${V1}/users/${a.user.id}`);
  const tokens = await new TestApi(cloud.cp.url, a.token).ok<{ items: Array<{ id: string; name: string; revokedAt: string | null }> }>('GET', `${V1}/tokens`);
  // Mails to A's address about A's objects. B may make one mail go there (the code that confirms
  // an address B asked for, rate-limited); it is about B, and it changes nothing of A's.
  const mails = await admin.ok<{ items: Array<{ id: string; state: string; attempts: number; related: { kind: string; id: string } | null }> }>('GET', `${V1}/mails?to=${encodeURIComponent(a.user.spec.email)}`);
  mails.items = mails.items.filter((m) => m.related?.id !== w.b.user.id);
  return {
    request: { generation: request.generation, spec: request.spec, state: request.status.state },
    appliance: { generation: appliance.generation, spec: appliance.spec, phase: appliance.status.phase, deleting: appliance.deletionRequestedAt },
    user: { generation: user.generation, spec: user.spec },
    quota: await admin.ok('GET', `${V1}/quotas/users/${a.user.id}`),
    groupQuota: await admin.ok('GET', `${V1}/quotas/groups/${a.group.id}`),
    balance: (await admin.ok<{ balanceMilli: number }>('GET', `${V1}/ccu/balance?userId=${a.user.id}`)).balanceMilli,
    ledger: (await admin.ok<{ items: LedgerEntry[] }>('GET', `${V1}/ccu/ledger?userId=${a.user.id}`)).items.map((e) => e.id),
    tokens: tokens.items.map((t) => ({ id: t.id, name: t.name, revokedAt: t.revokedAt })),
    mails: mails.items.map((m) => ({ id: m.id, state: m.state, attempts: m.attempts })),
    stack: await admin.ok<StackDetail>('GET', `${V1}/stacks/${a.stack.stack.name}?ownerId=${a.user.id}`),
  };
}

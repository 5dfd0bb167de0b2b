import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { ErrorCode } from '../../src/domain/errors.ts';
import type { Rng } from './seeded-random.ts';
import type { TestRequest } from './send-request.ts';

/**
 * Generates malformed requests from a seeded generator. Invariant: no case is a valid request.
 * Every body sent to a create route breaks its schema in at least one field (so nothing is ever
 * created), imports and uploads go to images and kernels that do not exist or with a body
 * their schema refuses (so no server path is ever read and nothing is stored), and every request to the
 * event stream has a bad query or a bad Last-Event-ID (a valid one would stream forever).
 * `expect` narrows the acceptable codes where the answer is certain; otherwise any documented
 * 4xx code passes.
 */
export interface MalformedCase extends TestRequest {
  label: string;
  expect?: readonly ErrorCode[];
}

type Gen = (r: Rng) => MalformedCase;

const V1 = '/api/v1';
const JSON_TYPE = { 'content-type': 'application/json' };
const COLLECTIONS = ['resources', 'storages', 'networks', 'kernels', 'images', 'appliances', 'config-groups'] as const;
const DELETABLE = ['kernels', 'images', 'appliances', 'config-groups'] as const;
const FILTERS: Record<(typeof COLLECTIONS)[number], readonly string[]> = {
  resources: ['name', 'type', 'hostId'],
  storages: ['name'],
  networks: ['name'],
  kernels: ['name'],
  images: ['name', 'storageId', 'format', 'parentId'],
  appliances: ['name', 'phase', 'hostId', 'imageId', 'virtualization'],
  'config-groups': ['name'],
};

/** Valid-looking bases; each create case below breaks at least one field of these. */
const BASE: Record<'kernels' | 'images' | 'appliances' | 'networks' | 'config-groups', Record<string, unknown>> = {
  kernels: { name: 'k1', cmdline: 'console=ttyS0' },
  networks: { name: 'n1', bridge: 'fymal', cidr: '169.254.248.0/24' },
  images: { name: 'i1', command: ['/bin/sh'] },
  appliances: { name: 'a1', imageId: uuidv7() },
  'config-groups': { name: 'g1', ansible: { playbook: '- hosts: all\n  tasks: []\n' } },
};

/** Per create route: field → values that its schema always refuses. */
const BAD_FIELDS: Record<keyof typeof BASE, Record<string, readonly unknown[]>> = {
  kernels: {
    name: [123, true, [], {}, null, '', ' ', 'a/b', '-x', 'a b', '..'],
    cmdline: [5, [], {}, null, false],
    // Files come by upload or import now; naming one on create is an unknown field.
    vmlinuzPath: ['/etc/shadow', '/boot/vmlinuz', 5],
  },
  images: {
    name: [0, false, ['a'], { a: 1 }, null, '', '.hidden', 'x'.repeat(64)],
    command: ['sh', [], [1], [''], null, {}],
    source: ['/etc', '/nonexistent/rootfs.tar', 1],
  },
  appliances: {
    name: [1, [], {}, null, '', 'a\nb'],
    imageId: [1, [], null, 'not-an-id'],
    kernelId: [1, [], {}],
    requirements: ['x', [], { cpu: 'a' }, { cpu: -1 }, { cpu: 0.5 }, { unknown: 1 }, { memoryMiB: 1e300 }],
    command: ['sh', [], [1], [''], {}],
    hostname: [1, 'UPPER', '-x', 'a_b', 'x'.repeat(64)],
    network: [1, '', null, 'a/b'],
    moreNetworks: ['lan', 1, {}, null, [1], [''], ['a/b'], [null], Array.from({ length: 8 }, (_, i) => `n${i}`)],
    labels: ['x', [], { 'A B': 'x' }, { a: 1 }, { a: null }],
    ha: ['yes', 1, null],
    placement: ['x', [], null, { unknown: 1 }, { hostLabels: { 'A B': 'x' } }, { hostLabels: 'tier=gold' }, { antiAffinity: 'Web Tier' }, { antiAffinity: 1 }, { antiAffinity: 'x'.repeat(64) }],
    start: ['no', 0, null],
    configGroups: ['motd', 1, {}, [1], ['A B'], [''], ['x'.repeat(64)], Array(33).fill('g')],
  },
  'config-groups': {
    name: [1, [], null, '', 'a/b', '-x'],
    description: [1, [], {}, 'x'.repeat(2001)],
    // A playbook must be a YAML list of plays: neither a mapping, a scalar, an empty list nor broken YAML.
    ansible: ['x', 1, [], { playbook: '' }, { playbook: 'hosts: all' }, { playbook: 'just words' }, { playbook: '- [a, b]' }, { playbook: '- hosts: all\n  tasks: [' }, { playbook: '[]' }, { playbook: 1 }, { playbook: 'x', extra: 1 }],
    puppet: ['x', [], { classes: 'x' }, { classes: { ntp: 'x' } }, { extra: 1 }],
    cloudInit: ['x', [], { cloudConfig: [] }, { extra: 1 }],
  },
  networks: {
    name: [1, [], null, '', 'a/b'],
    bridge: [1, '', 'x'.repeat(16), 'a b', 'lo', 'fyv0123456789', 'eth0/1', null],
    cidr: [1, '', 'x', '169.254.248.0', '169.254.248.0/31', '169.254.248.0/7', '169.254.248.0/33', '169.254.300.0/24', 'fd00::/64', null],
    gateway: [1, '169.254.249.1', '169.254.248.0', '169.254.248.255', 'fd00::1', 'x'],
    excluded: ['x', [{ first: '169.254.248.10' }], [{ first: '169.254.248.20', last: '169.254.248.10' }], [{ first: '169.254.1.1', last: '169.254.1.2' }], [1]],
    ipv6: ['x', 1, {}, { cidr: 'fd00::/63' }, { cidr: 'fd00::/121' }, { cidr: '2001:db8::/64' }, { cidr: '169.254.1.0/24' }, { cidr: 'fd00::/64', gateway: 'fd01::1' }, { cidr: 'fd00::/64', extra: 1 }],
    dns: ['x', 1, {}, { backend: 'bind' }, { backend: 'embedded' }, { backend: 'embedded', zone: 'Upper.Case' }, { backend: 'rfc2136', zone: 'a.internal', server: '127.0.0.1', keyName: 'k', keyAlgorithm: 'md5', keySecret: 'c2VjcmV0c2VjcmV0c2VjcmV0' }, { backend: 'rfc2136', zone: 'a.internal', server: '127.0.0.1', keyName: 'k', keyAlgorithm: 'hmac-sha256' }, { backend: 'rfc2136', zone: 'a.internal', server: '127.0.0.1', keyName: 'k', keyAlgorithm: 'hmac-sha256', keySecret: 'not base64!' }],
    mtu: ['x', 1279, 9001, 1500.5, null],
    spansHosts: ['yes', 1, null],
  },
};

const createRoute = (r: Rng): keyof typeof BASE => r.pick(['kernels', 'images', 'appliances', 'networks', 'config-groups'] as const);
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const post = (path: string, body: Buffer | undefined, headers: Record<string, string> = JSON_TYPE): Omit<MalformedCase, 'label'> => ({
  transport: 'http',
  method: 'POST',
  path,
  headers,
  body,
});

/** A create body with one field replaced by a value its schema refuses. */
function brokenBody(r: Rng, route: keyof typeof BASE): Record<string, unknown> {
  const field = r.pick(Object.keys(BAD_FIELDS[route]));
  return { ...BASE[route], [field]: r.pick(BAD_FIELDS[route][field] ?? []) };
}

/** IDs the API must refuse or not find. */
function badId(r: Rng): string {
  return r.pick([
    () => randomUUID(),
    () => r.string(r.int(1, 99)),
    () => r.string(r.int(101, 199)),
    () => r.string(r.int(201, 600)),
    () => '..%2F..%2F..%2Fetc%2Fpasswd',
    () => '%2e%2e%2f%2e%2e%2fpackage.json',
    () => '..',
    () => '..%5C..%5Cwindows',
    () => `${uuidv7()}x`,
    () => uuidv7().replace(/-/g, ''),
    () => '%00',
    () => `a%00${r.string(4)}`,
    () => uuidv7(),
    () => uuidv7().toUpperCase(),
    () => encodeURIComponent(r.string(r.int(1, 40), 'äöü漢字🙂 <>"\'`{}|\\^')),
  ])();
}

const itemPath = (r: Rng): string => `${V1}/${r.pick(COLLECTIONS)}/${badId(r)}`;

/** Import bodies: one field broken (or added) so that no case ever reads a server path. */
const IMPORT_BASE = {
  images: { source: '/nonexistent/import/rootfs.tar' },
  kernels: { vmlinuzPath: '/nonexistent/import/vmlinuz', initrdPath: '/nonexistent/import/initrd' },
} as const;
const BAD_IMPORT_FIELDS: Record<keyof typeof IMPORT_BASE, Record<string, readonly unknown[]>> = {
  images: { source: [1, [], {}, null, 'relative.tar', 'x', '/a\u0000b', '', `/${'a'.repeat(5_000)}`], extra: [1, 'x'] },
  kernels: {
    vmlinuzPath: [5, [], {}, null, 'relative/path', 'x', '/a\u0000b', ''],
    initrdPath: [5, [], 'relative', '/a\u0000b'],
    cmdline: ['console=ttyS0'],
  },
};
const UPLOAD_TYPES = ['application/x-tar', 'application/gzip', 'application/octet-stream'] as const;
const uploadPath = (r: Rng, id: string): string => r.pick([`${V1}/images/${id}/file`, `${V1}/kernels/${id}/vmlinuz`, `${V1}/kernels/${id}/initrd`]);

/** A stack document that parses; each stack case breaks it, or sends something that is no document at all. */
const GOOD_STACK = 'apiVersion: fleetyard.io/v1\nkind: Stack\nmetadata:\n  name: s1\nspec:\n  hours: 2\n  appliances:\n    - name: web\n      product: p\n      size: s\n';
const STACK_BREAKS: ReadonlyArray<(r: Rng) => unknown> = [
  (r) => GOOD_STACK.replace('size: s', `size: s\n      ${r.pick(['colour', 'image', 'status', '__proto__'])}: x`),
  (r) => GOOD_STACK.replace('hours: 2', `hours: ${r.pick(['0', '-1', '1.5', 'x', '99999999', '[]', '~'])}`),
  (r) => GOOD_STACK.replace('name: web', `name: ${r.pick(['"a b"', '"-x"', '[]', '{}', '""', 'a/b'])}`),
  (r) => GOOD_STACK.replace('kind: Stack', `kind: ${r.pick(['Stak', 'stack', '1', '~'])}`),
  (r) => `${GOOD_STACK}      count: ${r.pick(['0', '17', '1e9', 'two', 'null'])}\n`,
  (r) => `${GOOD_STACK}  links:\n    - {from: web, to: ${r.pick(['web', 'nobody', '1', '[]'])}}\n`,
  (r) => GOOD_STACK.slice(0, r.int(0, GOOD_STACK.length - 12)),
  (r) => `${GOOD_STACK}${r.pick(['\t- x', '  : :', '--- {}', '&a [*a]', '!!binary AAAA', '{'])}\n`,
  () => `a: &a [x, x, x, x, x, x, x, x, x]\n${['b', 'c', 'd', 'e', 'f', 'g'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`).join('\n')}\n`,
  (r) => r.string(r.int(0, 2_000), 'ab:- \n\t{}[]&*!|>#%@`\'"'),
  (r) => `# ${'x'.repeat(r.int(262_200, 300_000))}\n${GOOD_STACK}`,
  (r) => r.pick([1, null, true, [], {}, [GOOD_STACK]]),
];
const badStackName = (r: Rng): string =>
  r.pick(['a%20b', '-x', '.hidden', encodeURIComponent('a/b'), 'x'.repeat(64), '%00', encodeURIComponent('é\u0000'), '%2e%2e', `${'y'.repeat(r.int(201, 400))}`]);

const cases: Record<string, Gen> = {
  brokenStack: (r) => {
    const path = r.pick([`${V1}/stacks/plan`, `${V1}/stacks/apply`, `${V1}/stacks/s1`]);
    const body = { yaml: r.pick(STACK_BREAKS)(r), ...(r.chance(0.2) ? { version: r.pick([-1, 1.5, 'x']) } : {}) };
    return {
      label: `broken stack on ${path.slice(V1.length)}`,
      ...post(path, json(body)),
      ...(path.endsWith('/s1') ? { method: 'PUT' } : {}),
      expect: ['FY_STACK_INVALID', 'FY_VALIDATION'],
    };
  },
  badStackName: (r) => {
    const method = r.pick(['GET', 'DELETE', 'PUT']);
    return {
      label: `bad stack name on ${method}`,
      transport: r.pick(['http', 'inject'] as const),
      method,
      path: `${V1}/stacks/${badStackName(r)}`,
      headers: method === 'PUT' ? JSON_TYPE : {},
      ...(method === 'PUT' ? { body: json({ yaml: GOOD_STACK }) } : {}),
      expect: ['FY_VALIDATION', 'FY_BAD_ID', 'FY_ROUTE_NOT_FOUND', 'FY_NOT_FOUND'],
    };
  },
  wrongTypes: (r) => {
    const route = createRoute(r);
    return { label: `wrong type on POST ${route}`, ...post(`${V1}/${route}`, json(brokenBody(r, route))), expect: ['FY_VALIDATION', 'FY_BAD_ID'] };
  },
  unknownField: (r) => {
    const route = createRoute(r);
    const key = r.pick(['extra', 'id', 'status', 'version', 'spec', r.string(r.int(1, 30))]);
    return { label: `unknown field on POST ${route}`, ...post(`${V1}/${route}`, json({ ...BASE[route], [key]: r.pick([1, 'x', null, {}]) })), expect: ['FY_VALIDATION'] };
  },
  hugeName: (r) => {
    const route = createRoute(r);
    return { label: `10 kB name on POST ${route}`, ...post(`${V1}/${route}`, json({ ...BASE[route], name: r.string(r.int(10_000, 12_000)) })), expect: ['FY_VALIDATION'] };
  },
  hugeField: (r) => {
    const route = createRoute(r);
    const field = r.pick(Object.keys(BAD_FIELDS[route]));
    return { label: `100 kB ${field} on POST ${route}`, ...post(`${V1}/${route}`, json({ ...BASE[route], name: '', [field]: '/'.padEnd(r.int(5_000, 100_000), 'a') })), expect: ['FY_VALIDATION'] };
  },
  hugeBody: (r) => {
    const route = createRoute(r);
    const body = json({ ...BASE[route], name: r.string(r.int(2_000_000, 2_200_000), 'ab') });
    const chunked = r.chance(0.5);
    return {
      label: `2 MB body on POST ${route}${chunked ? ' (chunked)' : ''}`,
      ...post(`${V1}/${route}`, body, chunked ? { ...JSON_TYPE, 'transfer-encoding': 'chunked' } : JSON_TYPE),
      expect: ['FY_BODY_TOO_LARGE'],
    };
  },
  invalidUtf8Body: (r) => {
    const route = createRoute(r);
    const bad = r.bytes(r.int(1, 16), 0x80, 0xff);
    const body = Buffer.concat([Buffer.from('{"name":"'), bad, Buffer.from(`","${r.pick(['x', 'vmlinuzPath', 'source', 'imageId'])}":5}`)]);
    return { label: `invalid UTF-8 in a body to ${route}`, ...post(`${V1}/${route}`, body) };
  },
  invalidUtf8Path: (r) => {
    const bad = r.pick(['%FF', '%C3%28', '%E0%80%80', '%ED%A0%80', '%F8%88%80%80%80', '%', '%Z9', '%E2%82']);
    const where = r.pick([`${V1}/${r.pick(COLLECTIONS)}/${bad}`, `${V1}/${bad}`, `/${bad}${bad}`, `${V1}/appliances/${bad}/logs`]);
    return { label: `invalid escape in path ${where}`, transport: r.pick(['http', 'inject'] as const), method: r.pick(['GET', 'DELETE', 'POST']), path: where, headers: {} };
  },
  invalidUtf8Query: (r) => {
    const bad = r.pick(['%FF', '%C3%28', '%FE%FF', '%80']);
    const query = r.pick([`limit=${bad}`, `cursor=${bad}`, `${bad}=1`, `name=x&${bad}${bad}=y`]);
    return { label: `invalid escape in query ${query}`, transport: 'http', method: 'GET', path: `${V1}/${r.pick(COLLECTIONS)}?${query}`, headers: {} };
  },
  rawBytesInRequestLine: (r) => ({
    label: 'raw bytes >= 0x80 in the request line',
    transport: 'raw',
    method: 'GET',
    path: `${V1}/${r.pick(COLLECTIONS)}/`,
    rawPath: r.bytes(r.int(1, 8), 0x80, 0xff),
    headers: {},
    expect: ['FY_VALIDATION'],
  }),
  badIds: (r) => {
    const method = r.pick(['GET', 'DELETE']);
    const path = method === 'DELETE' ? `${V1}/${r.pick(DELETABLE)}/${badId(r)}` : itemPath(r);
    // Injection resolves dot segments as a browser would (`/kernels/..` becomes `/api/v1/`), so a
    // traversal attempt may also end at no route at all.
    const expect = ['FY_BAD_ID', 'FY_VALIDATION', 'FY_NOT_FOUND', 'FY_ROUTE_NOT_FOUND'] as const;
    return { label: `bad ID ${method} ${path.slice(0, 80)}`, transport: r.pick(['http', 'inject'] as const), method, path, headers: {}, expect };
  },
  badIdsOnActions: (r) => {
    const action = r.pick(['start', 'stop', 'logs', 'dns', 'configuration']);
    return {
      label: `bad ID on appliance ${action}`,
      transport: 'http',
      method: action === 'logs' || action === 'dns' || action === 'configuration' ? 'GET' : 'POST',
      path: `${V1}/appliances/${badId(r)}/${action}`,
      headers: {},
      expect: ['FY_BAD_ID', 'FY_VALIDATION', 'FY_NOT_FOUND'],
    };
  },
  badIdInBody: (r) => {
    const field = r.pick(['imageId', 'kernelId']);
    const id = decodeURIComponent(badId(r).replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
    const body = { ...BASE.appliances, imageId: field === 'imageId' ? id : uuidv7(), ...(field === 'kernelId' ? { kernelId: id } : {}) };
    return { label: `bad ${field} in an appliance body`, ...post(`${V1}/appliances`, json(body)), expect: ['FY_BAD_ID', 'FY_VALIDATION', 'FY_NOT_FOUND'] };
  },
  badCursor: (r) => {
    const cursor = r.pick([
      () => r.string(r.int(1, 40), '!@$^*()[]{}~.'),
      () => Buffer.from(`x${r.string(r.int(1, 30))}`).toString('base64url'),
      () => r.bytes(r.int(1, 30)).toString('base64url').replace(/^YzE6/, 'AAAA') || 'AA',
      () => 'A'.repeat(r.int(201, 299)),
      () => 'A'.repeat(r.int(301, 2_000)),
      () => encodeURIComponent(Buffer.from('c1:').toString('base64')) + '%2B%2F',
      () => '%00',
      () => 'YzE6',
    ])();
    return { label: `bad cursor ${cursor.slice(0, 40)}`, transport: r.pick(['http', 'inject'] as const), method: 'GET', path: `${V1}/${r.pick(COLLECTIONS)}?cursor=${cursor}`, headers: {}, expect: ['FY_BAD_CURSOR', 'FY_VALIDATION'] };
  },
  badListQuery: (r) => {
    const collection = r.pick(COLLECTIONS);
    const filter = r.pick(FILTERS[collection]);
    const query = r.pick([
      () => `limit=${r.pick(['0', '-1', '1001', 'abc', '1.5', '1e9', '', '%20', 'Infinity', '0x', '99999999999999999999'])}`,
      () => `limit=1&limit=2`,
      () => `${r.pick(['x', 'foo', '__proto__', 'constructor', 'limit[]', 'filter', 'Name'])}=1`,
      () => `${filter}=`,
      () => `${filter}=${r.string(r.int(201, 1_000))}`,
      () => `${filter}=a%0${r.int(0, 9)}b`,
      () => `${filter}=a&${filter}=b`,
      () => `${filter}[x]=1`,
    ])();
    return { label: `bad query ${collection}?${query.slice(0, 60)}`, transport: r.pick(['http', 'inject'] as const), method: 'GET', path: `${V1}/${collection}?${query}`, headers: {}, expect: ['FY_VALIDATION'] };
  },
  badEventQuery: (r) => {
    const stream = r.chance(0.5);
    const query = r.pick([
      `afterSeq=${r.pick(['-1', 'x', '1.5', '1e400', '9007199254740993'])}`,
      `kind=${r.pick(['bogus', '', 'APPLIANCE', '%FF'])}`,
      `objectId=${r.string(r.int(101, 300))}`,
      `type=a%00`,
      `${r.pick(['x', 'seq', 'cursor'])}=1`,
      ...(stream ? [] : [`limit=${r.pick(['0', '1001', 'x'])}`]),
    ]);
    return { label: `bad query events${stream ? '/stream' : ''}?${query.slice(0, 40)}`, transport: 'http', method: 'GET', path: `${V1}/events${stream ? '/stream' : ''}?${query}`, headers: {}, expect: ['FY_VALIDATION'] };
  },
  badLastEventId: (r) => ({
    label: 'bad Last-Event-ID on the event stream',
    transport: 'http',
    method: 'GET',
    path: `${V1}/events/stream`,
    headers: { 'last-event-id': r.pick(['abc', '-1', '1.5', '1'.repeat(16), '0x10', '1e3', `x${r.string(r.int(1, 500))}`]) },
    expect: ['FY_VALIDATION'],
  }),
  badCertname: (r) => ({
    label: 'bad Puppet certname',
    transport: r.pick(['http', 'inject'] as const),
    method: 'GET',
    path: `${V1}/config/puppet/enc/${r.pick(['-web', '.hidden', '_x', 'a%20b', 'a%00b', 'a%0Ab', 'x'.repeat(254), '%C3%A9t%C3%A9', 'a%2Fb', 'a%2E%2E', 'web-1?x=1', 'web-1?environment=dev', "a'b", 'a%22b'])}`,
    headers: {},
    // An over-long one is refused by the router before the route, as every over-long path parameter is.
    expect: ['FY_VALIDATION', 'FY_BAD_ID'],
  }),
  unknownCertname: (r) => ({
    label: 'unknown Puppet certname',
    transport: r.pick(['http', 'inject'] as const),
    method: 'GET',
    path: `${V1}/config/puppet/enc/${r.pick([uuidv7(), `no-such-${r.int(1, 1_000_000)}`, `no-such-${r.int(1, 1_000_000)}.fleetyard.internal`, 'A.B.C'])}`,
    headers: {},
    expect: ['FY_PUPPET_NODE_UNKNOWN'],
  }),
  badLogsQuery: (r) => ({
    label: 'bad logs query',
    transport: 'http',
    method: 'GET',
    path: `${V1}/appliances/${uuidv7()}/logs?${r.pick(['bytes=0', 'bytes=-5', 'bytes=x', 'bytes=2000000', 'tail=1', 'bytes=1.5', 'from=-1', 'from=x', 'from=1e30', 'from=0.5', 'from=1&from=2'])}`,
    headers: {},
    expect: ['FY_VALIDATION'],
  }),
  badDashboardQuery: (r) => ({
    label: 'bad dashboard query',
    transport: r.pick(['http', 'inject'] as const),
    method: 'GET',
    path: `${V1}/dashboard?${r.pick(['hours=0', 'hours=-1', 'hours=169', 'hours=x', 'hours=1.5', 'hours=', 'hours=1&hours=2', 'days=2', '__proto__=1'])}`,
    headers: {},
    expect: ['FY_VALIDATION'],
  }),
  badHaPlanQuery: (r) => ({
    label: 'bad N+1 plan query',
    transport: r.pick(['http', 'inject'] as const),
    method: 'GET',
    path: `${V1}/ha/plan?${r.pick(['fail=', 'fail=no-such-host', `fail=${uuidv7()}`, 'fail=%00', 'hosts=a', `fail=${'x'.repeat(300)}`, '__proto__=1', `${Array.from({ length: 101 }, (_, i) => `fail=h${i}`).join('&')}`])}`,
    headers: {},
    expect: ['FY_VALIDATION'],
  }),
  wrongContentType: (r) => {
    const route = createRoute(r);
    const type = r.pick(['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'image/png']);
    return { label: `Content-Type ${type} on POST ${route}`, ...post(`${V1}/${route}`, json({ extra: 1 }), { 'content-type': type }), expect: ['FY_UNSUPPORTED_MEDIA_TYPE'] };
  },
  oddContentType: (r) => {
    const route = createRoute(r);
    const type = r.pick(['', 'application/jsonx', 'application/json-patch+json', 'text/json', 'json', '*/*', 'application/json; charset=latin1', 'application/json;;;']);
    return { label: `Content-Type "${type}" on POST ${route}`, ...post(`${V1}/${route}`, json({ extra: 1 }), { 'content-type': type }) };
  },
  noContentType: (r) => {
    const route = createRoute(r);
    return { label: `no Content-Type on POST ${route}`, ...post(`${V1}/${route}`, json({ extra: 1 }), {}), expect: ['FY_UNSUPPORTED_MEDIA_TYPE'] };
  },
  emptyBody: (r) => {
    const route = createRoute(r);
    const withType = r.chance(0.5);
    return {
      label: `empty body on POST ${route}${withType ? ' (JSON)' : ''}`,
      ...post(`${V1}/${route}`, withType ? Buffer.alloc(0) : undefined, withType ? JSON_TYPE : {}),
      expect: withType ? ['FY_BAD_JSON'] : ['FY_VALIDATION'],
    };
  },
  nonObjectJson: (r) => {
    const route = createRoute(r);
    const body = r.pick(['[]', '1', '-0', 'null', '"x"', 'true', '[{"name":"a"}]', '1e999', '""', '[null]']);
    return { label: `body ${body} on POST ${route}`, ...post(`${V1}/${route}`, Buffer.from(body)), expect: ['FY_VALIDATION'] };
  },
  badJsonSyntax: (r) => {
    const route = createRoute(r);
    const body = r.pick(['{', '{"name":', "{'name':'a'}", '{"a":1,}', '{"a":NaN}', '{"a":1}{"b":2}', '{"a":1} x', '/* c */{}', '{"a":"\\x"}', '{"a":"\u0001"}', `x${r.string(r.int(1, 100))}`]);
    return { label: `bad JSON on POST ${route}`, ...post(`${V1}/${route}`, Buffer.from(body)), expect: ['FY_BAD_JSON'] };
  },
  protoPoisoning: (r) => {
    const route = createRoute(r);
    const body = r.pick(['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', '{"name":"a","labels":{"__proto__":{"x":"y"}}}']);
    return { label: `prototype poisoning on POST ${route}`, ...post(`${V1}/${route}`, Buffer.from(body)), expect: ['FY_BAD_JSON'] };
  },
  deepJson: (r) => {
    const route = createRoute(r);
    const depth = r.int(1_000, 150_000);
    const field = r.pick(['name', 'labels', 'requirements', 'command', 'x']);
    const [open, close] = r.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
    const body = `{"${field}":${open.repeat(depth)}1${close.repeat(depth)}}`;
    return { label: `JSON nested ${depth} deep in ${field} on POST ${route}`, ...post(`${V1}/${route}`, Buffer.from(body)), expect: ['FY_VALIDATION', 'FY_BODY_TOO_LARGE'] };
  },
  unknownRoute: (r) => {
    const path = r.pick([
      () => `/${r.string(r.int(1, 30))}`,
      () => `/api/${r.string(r.int(1, 10))}`,
      () => `/api/v2/${r.pick(COLLECTIONS)}`,
      () => `${V1}/${r.string(r.int(1, 20))}`,
      () => `${V1}/appliances/${uuidv7()}/${r.pick(['reboot', 'logs/x', 'start/now', 'console'])}`,
      () => `${V1.toUpperCase()}/APPLIANCES`,
      () => `/${'a/'.repeat(r.int(50, 500))}`,
      () => `${V1}//${r.pick(COLLECTIONS)}`,
      () => `${V1}/${r.pick(COLLECTIONS)};x=1`,
      () => `/docs/static/%2e%2e%2f%2e%2e%2fpackage.json`,
    ])();
    return { label: `unknown route ${path.slice(0, 60)}`, transport: r.pick(['http', 'inject'] as const), method: r.pick(['GET', 'POST', 'DELETE']), path, headers: {}, expect: ['FY_ROUTE_NOT_FOUND', 'FY_METHOD_NOT_ALLOWED'] };
  },
  wrongMethod: (r) => {
    const method = r.pick(['PUT', 'PATCH', 'OPTIONS', 'PROPFIND', 'TRACE', 'POST', 'DELETE']);
    const path = r.pick(
      method === 'POST'
        ? ['/healthz', '/metrics', `${V1}/storages`, `${V1}/events`, `${V1}/appliances/${uuidv7()}`]
        : method === 'DELETE'
          ? ['/healthz', `${V1}/appliances`, `${V1}/storages/${uuidv7()}`, `${V1}/events`]
          : ['/healthz', '/metrics', `${V1}/${r.pick(COLLECTIONS)}`, `${V1}/appliances/${uuidv7()}`, `${V1}/appliances/${uuidv7()}/start`],
    );
    return { label: `${method} ${path}`, transport: 'http', method, path, headers: {}, expect: ['FY_METHOD_NOT_ALLOWED'] };
  },
  unknownMethodToken: (r) => {
    const method = r.pick(['FOO', 'BREW', 'GETT', 'X-CUSTOM', 'get']);
    // node:http upper-cases the method it sends, so a lower-case token goes over a raw socket.
    const transport = method === 'get' ? 'raw' : r.pick(['http', 'raw'] as const);
    return { label: `method token ${method}`, transport, method, path: `${V1}/${r.pick(COLLECTIONS)}`, headers: {}, expect: ['FY_VALIDATION'] };
  },
  brokenImportBody: (r) => {
    const kind = r.pick(['images', 'kernels'] as const);
    const field = r.pick(Object.keys(BAD_IMPORT_FIELDS[kind]));
    const body = { ...IMPORT_BASE[kind], [field]: r.pick(BAD_IMPORT_FIELDS[kind][field] ?? []) };
    return { label: `broken ${field} on POST ${kind}/{id}/import`, ...post(`${V1}/${kind}/${uuidv7()}/import`, json(body)), expect: ['FY_VALIDATION'] };
  },
  importOfAnyServerFile: (r) => {
    const kind = r.pick(['images', 'kernels'] as const);
    const path = r.pick(['/etc/shadow', '/etc/passwd', '/proc/self/environ', '/dev/zero', '/etc/', '/../../etc/shadow']);
    const body = kind === 'images' ? { source: path } : { vmlinuzPath: path };
    // No image or kernel exists, so this is a 404 before any path is looked at (what an
    // existing one gets instead is tested in test/api/uploads.test.ts).
    return { label: `import of ${path} into a ${kind.slice(0, -1)} that does not exist`, ...post(`${V1}/${kind}/${uuidv7()}/import`, json(body)), expect: ['FY_NOT_FOUND'] };
  },
  uploadNotBinary: (r) => {
    const type = r.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png', 'application/tar+gzip']);
    return {
      label: `Content-Type ${type} on an upload`,
      transport: 'http',
      method: 'PUT',
      path: uploadPath(r, uuidv7()),
      headers: { 'content-type': type },
      body: json({ name: 'x' }),
      expect: ['FY_UNSUPPORTED_MEDIA_TYPE'],
    };
  },
  uploadWithoutType: (r) => ({
    label: 'an upload without Content-Type',
    transport: 'http',
    method: 'PUT',
    path: uploadPath(r, uuidv7()),
    headers: {},
    body: r.bytes(r.int(1, 4096)),
    expect: ['FY_UNSUPPORTED_MEDIA_TYPE'],
  }),
  uploadToNothing: (r) => ({
    label: 'an upload to an image or kernel that does not exist',
    transport: r.pick(['http', 'inject'] as const),
    method: 'PUT',
    path: uploadPath(r, uuidv7()),
    headers: { 'content-type': r.pick(UPLOAD_TYPES) },
    body: r.bytes(r.int(0, 64 * 1024)),
    expect: ['FY_NOT_FOUND'],
  }),
  uploadToBadId: (r) => ({
    label: 'an upload to a bad ID',
    transport: 'http',
    method: 'PUT',
    path: uploadPath(r, badId(r)),
    headers: { 'content-type': r.pick(UPLOAD_TYPES) },
    body: r.bytes(r.int(1, 1024)),
    expect: ['FY_BAD_ID', 'FY_VALIDATION', 'FY_NOT_FOUND', 'FY_ROUTE_NOT_FOUND'],
  }),
  bodyOnAction: (r) => ({
    label: 'body that is not JSON on an action',
    ...post(`${V1}/appliances/${badId(r)}/${r.pick(['start', 'stop'])}`, Buffer.from(r.string(r.int(1, 50))), { 'content-type': r.pick(['application/json', 'text/plain']) }),
  }),
};

/** Adds headers that are large or odd but within Node's limits (16 KiB in all by default). */
function withHugeHeaders(r: Rng, c: MalformedCase): MalformedCase {
  const headers = { ...c.headers };
  if (r.chance(0.5)) headers['x-padding'] = r.string(r.int(4_000, 10_000));
  else for (let i = 0; i < r.int(50, 90); i++) headers[`x-h${i}`] = r.string(r.int(10, 80));
  if (r.chance(0.3)) headers['user-agent'] = r.string(r.int(500, 2_000));
  return { ...c, headers, label: `${c.label} + huge headers` };
}

/** `count` cases, spread over every kind, in an order fixed by the generator. */
export function generateCases(r: Rng, count: number): MalformedCase[] {
  const kinds = Object.keys(cases);
  const out: MalformedCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i < kinds.length ? (kinds[i] as string) : r.pick(kinds);
    let c = (cases[kind] as Gen)(r);
    if (c.transport !== 'raw' && !c.label.includes('2 MB') && r.chance(0.1)) c = withHugeHeaders(r, c);
    if (c.transport === 'inject' && c.path.length > 4_000) c = { ...c, transport: 'http' };
    out.push({ ...c, label: `#${i} ${kind}: ${c.label}` });
  }
  return out;
}

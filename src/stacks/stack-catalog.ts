import { FleetyardError } from '../domain/errors.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Product, Size } from '../domain/product.ts';
import { formatStackPath, memberCount, STACK_DEFAULTS, stackLine, type Stack, type StackIssue, type StackIssueCode } from '../domain/stack.ts';
import type { Repos } from '../store/store.ts';

/** A member with the catalog entries it names and every default filled in. */
export interface CatalogMember {
  name: string;
  product: Product;
  image: { id: string; name: string };
  size: Size;
  virtualization: Virtualization;
  network: string;
  /** Further networks, in order (empty: one network). */
  moreNetworks: string[];
  ha: boolean;
  count: number;
}

/** Codes that mean "exists, but not for you"; the others mean "names nothing". */
const NOT_OFFERED: ReadonlySet<StackIssueCode> = new Set(['not-offered']);

/**
 * Resolves each member against the catalog: its product (by name), one of that product's sizes,
 * the virtualization (default: the product's first), network and HA. Cloud users get what the
 * product offers (enabled, its virtualizations, HA only where allowed, the default network) and
 * must say how long (`spec.hours`); admins are bound only by what exists. Every problem is
 * reported at once, each with its place in the document; a document that names something that
 * does not exist is FY_STACK_INVALID, one that asks for what is not offered FY_NOT_OFFERED.
 */
export async function resolveMembers(read: Repos, doc: Stack, text: string | undefined, admin: boolean): Promise<CatalogMember[]> {
  const issues: StackIssue[] = [];
  const issue = (segments: Array<string | number>, code: StackIssueCode, message: string) => {
    const line = text === undefined ? undefined : stackLine(text, segments);
    issues.push({ path: formatStackPath(segments), segments, code, message, ...(line === undefined ? {} : { line }) });
  };
  if (!admin && doc.spec.hours === undefined) issue(['spec', 'hours'], 'required', 'is required: how many hours the appliances run, from now');
  const products = new Map<string, Product | undefined>();
  const networks = new Map<string, boolean>();
  const out: CatalogMember[] = [];
  for (const [i, m] of doc.spec.appliances.entries()) {
    const at = (field: string) => ['spec', 'appliances', i, field];
    if (!products.has(m.product)) products.set(m.product, await read.products.getByName(m.product));
    const product = products.get(m.product);
    if (!product || (!admin && !product.spec.enabled)) {
      issue(at('product'), 'unknown-product', `no product is named "${m.product}"`);
      continue;
    }
    const size = product.spec.sizes.find((s) => s.name === m.size);
    if (!size) issue(at('size'), 'unknown-size', `product ${product.name} has no size "${m.size}" (it has ${product.spec.sizes.map((s) => s.name).join(', ')})`);
    const virtualization = m.virtualization ?? (product.spec.virtualizations[0] as Virtualization);
    if (!admin && !product.spec.virtualizations.includes(virtualization)) {
      issue(at('virtualization'), 'not-offered', `product ${product.name} is not offered as ${virtualization} (only ${product.spec.virtualizations.join(', ')})`);
    }
    const ha = m.ha ?? STACK_DEFAULTS.ha;
    if (!admin && ha && !product.spec.haAllowed) issue(at('ha'), 'not-offered', `product ${product.name} does not offer HA`);
    const network = m.network ?? STACK_DEFAULTS.network;
    if (!admin && network !== STACK_DEFAULTS.network) {
      issue(at('network'), 'not-offered', `cloud appliances join the ${STACK_DEFAULTS.network} network`);
    } else if (admin) {
      if (!networks.has(network)) networks.set(network, (await read.networks.getByName(network)) !== undefined);
      if (!networks.get(network)) issue(at('network'), 'unknown-network', `no network is named "${network}"`);
    }
    const moreNetworks = m.moreNetworks ?? [];
    if (!admin && moreNetworks.length > 0) {
      issue(at('moreNetworks'), 'not-offered', `cloud appliances join the ${STACK_DEFAULTS.network} network only`);
    } else if (admin) {
      for (const [j, name] of moreNetworks.entries()) {
        if (!networks.has(name)) networks.set(name, (await read.networks.getByName(name)) !== undefined);
        if (!networks.get(name)) issue([...at('moreNetworks'), j], 'unknown-network', `no network is named "${name}"`);
      }
    }
    const image = await read.images.get(product.spec.imageId);
    if (!image || image.status.state !== 'ready') {
      issue(at('product'), 'not-offered', `the image of product ${product.name} is ${image ? image.status.state : 'gone'}`);
      continue;
    }
    if (!size) continue;
    out.push({ name: m.name, product, image: { id: image.id, name: image.name }, size, virtualization, network, moreNetworks, ha, count: memberCount(m) });
  }
  if (issues.length > 0) {
    const invalid = issues.some((x) => !NOT_OFFERED.has(x.code));
    const first = issues[0] as StackIssue;
    throw new FleetyardError(invalid ? 'FY_STACK_INVALID' : 'FY_NOT_OFFERED', `${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, {
      issues,
    });
  }
  return out;
}

/** The error of a document that does not parse or validate. */
export function invalidStack(issues: readonly StackIssue[]): FleetyardError {
  const first = issues[0];
  const where = first ? `${first.path || 'the document'}${first.line === undefined ? '' : ` (line ${first.line})`}: ${first.message}` : 'the document is not a stack';
  return new FleetyardError('FY_STACK_INVALID', `${where}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, { issues: [...issues] });
}

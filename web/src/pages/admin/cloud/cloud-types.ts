import type { components, paths } from '../../../api/schema';

/** Shorthands for the API types the self-service-cloud pages of the console show. */
type Get<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } } ? T : never;
type Body<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P] extends Record<M, { requestBody?: { content: { 'application/json': infer T } } }> ? T : never;

export type CloudRequest = Get<'/api/v1/cloud/requests/{id}'>;
export type RequestState = CloudRequest['status']['state'];
export type RequestCounts = Get<'/api/v1/cloud/requests/counts'>;
export type User = Get<'/api/v1/users/{id}'>;
export type Group = Get<'/api/v1/groups/{id}'>;
export type Product = Get<'/api/v1/products/{id}'>;
export type ProductBody = Body<'/api/v1/products', 'post'>;
export type Size = ProductBody['sizes'][number];
export type Virtualization = ProductBody['virtualizations'][number];
export type StoredPriceList = Get<'/api/v1/ccu/price-list'>;
export type PriceList = StoredPriceList['priceList'];
export type Account = Get<'/api/v1/ccu/balance'>;
export type LedgerEntry = Get<'/api/v1/ccu/ledger'>['items'][number];
export type Quota = Get<'/api/v1/quotas/{kind}/{id}'>;
export type QuotaLimits = Quota['limits'];
export type Mail = components['schemas']['Mail'];

export const REQUEST_STATES: readonly RequestState[] = ['new', 'approved', 'provisioning', 'active', 'paused', 'deprovisioning', 'done', 'denied', 'failed', 'no-capacity'];
export const VIRTUALIZATIONS: readonly Virtualization[] = ['container', 'qemu', 'physical', 'sim'];

import type { paths } from '../../api/schema';

/** The API types the portal's pages use, taken from the generated schema (never written by hand). */
type Body<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type Answer<P extends keyof paths, M extends 'get' | 'post', S extends 200 | 201 = 200> = paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;

export type OrderBody = Body<'/api/v1/cloud/quote', 'post'>;
export type Quote = Answer<'/api/v1/cloud/quote', 'post'>;
export type Headroom = Quote['quota']['user'];
export type Product = Answer<'/api/v1/products/{id}', 'get'>;
export type Size = Product['spec']['sizes'][number];
export type Virtualization = Product['spec']['virtualizations'][number];
export type CloudRequest = Answer<'/api/v1/cloud/requests/{id}', 'get'>;
export type RequestState = CloudRequest['status']['state'];
export type Account = Answer<'/api/v1/ccu/balance', 'get'>;
export type LedgerEntry = Answer<'/api/v1/ccu/ledger', 'get'>['items'][number];
export type UsageSeries = Answer<'/api/v1/ccu/usage', 'get'>;
export type Token = Answer<'/api/v1/tokens', 'get'>['items'][number];
export type NewToken = Answer<'/api/v1/tokens', 'post', 201>;
export type PortalUser = Answer<'/api/v1/users/{id}', 'get'>;

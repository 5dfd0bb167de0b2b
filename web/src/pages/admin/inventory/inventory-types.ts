import type { paths } from '../../../api/schema';

/** The API's own types for the inventory pages (generated from /openapi.json). */
type Ok<P extends keyof paths, M extends 'get' | 'post', S extends 200 | 201 = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Resource = Ok<'/api/v1/resources/{id}', 'get'>;
export type Kernel = Ok<'/api/v1/kernels/{id}', 'get'>;
export type Network = Ok<'/api/v1/networks/{id}', 'get'>;
export type JoinToken = Ok<'/api/v1/hosts/join-tokens', 'get'>['items'][number];
export type CreatedJoinToken = Ok<'/api/v1/hosts/join-tokens', 'post', 201>;
export type PhysicalServerBody = paths['/api/v1/resources']['post']['requestBody']['content']['application/json'];
export type NetworkCreateBody = paths['/api/v1/networks']['post']['requestBody']['content']['application/json'];
export type NetworkPatchBody = paths['/api/v1/networks/{id}']['patch']['requestBody']['content']['application/json'];
export type AddressUse = Ok<'/api/v1/networks/{id}/addresses', 'get'>;

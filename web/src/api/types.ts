import type { components, paths } from './schema';

/** Shorthands for the API's own types (generated from /openapi.json), used by the pages. */
type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;

export type Appliance = Json<'/api/v1/appliances/{id}', 'get'>;
export type Image = Json<'/api/v1/images/{id}', 'get'>;
export type ApiErrorBody = components['schemas']['Error'];
export type Dashboard = components['schemas']['Dashboard'];
export type HaPlan = components['schemas']['HaPlan'];
export type FailureScenario = components['schemas']['FailureScenario'];

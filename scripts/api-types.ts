import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { startControlPlane } from '../src/control-plane/control-plane.ts';
import { SimDriver } from '../src/drivers/sim/sim-driver.ts';

/** The web console's typed API client is generated from this file; a test fails when it is stale. */
export const API_TYPES_FILE = resolve(import.meta.dirname, '../web/src/api/schema.d.ts');

const HEADER = '// Generated from /openapi.json by `node --import tsx scripts/api-types.ts`; do not edit.\n';

/** The server's own /openapi.json, from a throwaway control plane (simulated driver, no console). */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fy-openapi-'));
  try {
    const cp = await startControlPlane({
      dataDir,
      listen: '127.0.0.1:0',
      drivers: [new SimDriver({ stateDir: join(dataDir, 'sim') })],
      networkBridge: 'fyopenapi0',
      networkCidr: '169.254.250.0/24',
      consoleDir: null,
    });
    try {
      const res = await fetch(`${cp.url}/openapi.json`);
      return (await res.json()) as Record<string, unknown>;
    } finally {
      await cp.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function generateApiTypes(doc?: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS((doc ?? (await openApiDocument())) as never, { alphabetize: true });
  return HEADER + astToString(ast);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(API_TYPES_FILE, await generateApiTypes());
  console.log(`wrote ${API_TYPES_FILE}`);
}

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { API_TYPES_FILE, generateApiTypes } from '../../scripts/api-types.ts';

/**
 * The console's API client is typed from /openapi.json. When a route or schema changes, the
 * committed types must be regenerated, or the console would type-check against an API that no
 * longer exists. Also proves the document resolves: every $ref points at a component.
 */
it('the web console\'s generated API types match the server\'s /openapi.json', async () => {
  const fresh = await generateApiTypes();
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  assert.ok(committed === fresh, 'web/src/api/schema.d.ts is stale: run `node --import tsx scripts/api-types.ts` and commit it');
});

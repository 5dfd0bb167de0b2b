import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { gzipSync } from 'node:zlib';

const DIST = join(import.meta.dirname, '../../web/dist');
const LIMIT_KIB = 350;

/**
 * What a browser must download before the first screen can run: the entry script and every
 * script index.html preloads. Pages, charts and the designer load later, when they are opened.
 */
it(`the console's initial JavaScript is at most ${LIMIT_KIB} KiB gzipped`, () => {
  execFileSync('bash', [join(import.meta.dirname, '../../scripts/build-web.sh')], { stdio: 'ignore' });
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  assert.ok(scripts.length >= 1, `no entry script in index.html: ${html}`);
  const sizes = scripts.map((s) => ({ s, gz: gzipSync(readFileSync(join(DIST, s))).length }));
  const total = sizes.reduce((n, x) => n + x.gz, 0);
  console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} KiB gzipped in ${scripts.length} files`);
  assert.ok(total <= LIMIT_KIB * 1024, `initial JavaScript is ${(total / 1024).toFixed(1)} KiB gzipped: ${JSON.stringify(sizes)}`);
});

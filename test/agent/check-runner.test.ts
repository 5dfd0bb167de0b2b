import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { CheckRunner } from '../../src/agent/check-runner.ts';
import { systemClock } from '../../src/domain/clock.ts';
import type { CheckResult } from '../../src/domain/health-check.ts';
import { eventually } from '../support/eventually.ts';

/**
 * The agent's check runner with the real plugins (Debian's monitoring-plugins-basic) against an
 * HTTP server on loopback: OK, then WARNING (a 404), then CRITICAL (the server gone), soft until
 * max_check_attempts, then hard; stopping ends the checks.
 */
let server: Server;
let port = 0;
let status = 200;
before(async () => {
  server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' }).end('fine\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('http and tcp checks go OK, WARNING, CRITICAL soft then hard, with perfdata', async () => {
  const results: Array<{ id: string; r: CheckResult }> = [];
  const runner = new CheckRunner({ clock: systemClock, log: () => undefined, concurrency: 2, report: async (id, r) => void results.push({ id, r }) });
  try {
    runner.set('app-1', '127.0.0.1', [
      { name: 'web', kind: 'http', port, path: '/', intervalSeconds: 0.2, retryIntervalSeconds: 0.2, maxCheckAttempts: 10 },
      { name: 'port', kind: 'tcp', port, intervalSeconds: 0.2, retryIntervalSeconds: 0.2, maxCheckAttempts: 2 },
    ]);
    const seen = (check: string, state: string, type: string) => results.some(({ r }) => r.check === check && r.state === state && r.type === type);
    await eventually(() => seen('web', 'OK', 'HARD') && seen('port', 'OK', 'HARD'), 'both checks OK');
    const ok = results.find(({ r }) => r.check === 'web' && r.state === 'OK')?.r as CheckResult;
    assert.match(ok.output, /^HTTP OK/);
    assert.ok(ok.perfdata.some((p) => p.label === 'time' && p.uom === 's'), 'check_http measures the response time');
    status = 404;
    await eventually(() => seen('web', 'WARNING', 'SOFT'), 'a 404 is WARNING');
    await new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await eventually(() => seen('web', 'CRITICAL', 'HARD') && seen('port', 'CRITICAL', 'HARD'), 'both hard CRITICAL');
    const web = results.filter(({ r }) => r.check === 'web').map(({ r }) => `${r.state}/${r.type}`);
    const firstWarn = web.indexOf('WARNING/SOFT');
    const firstCritSoft = web.indexOf('CRITICAL/SOFT');
    const firstCritHard = web.indexOf('CRITICAL/HARD');
    assert.ok(firstWarn >= 0 && firstWarn < firstCritSoft && firstCritSoft < firstCritHard, `WARNING, then CRITICAL soft, then hard: ${web.join(' ')}`);
    const hard = results.find(({ r }) => r.check === 'web' && r.type === 'HARD' && r.state === 'CRITICAL')?.r as CheckResult;
    assert.equal(hard.attempt, 10);
    assert.match(hard.output, /Connection refused/);
    assert.deepEqual(runner.running(), ['app-1']);
  } finally {
    runner.stop('app-1');
  }
  assert.deepEqual(runner.running(), []);
  const count = results.length;
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(results.length, count, 'a stopped appliance is checked no more');
  // The server is recreated for the hook that closes it.
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});

test('a command that is not a plugin is UNKNOWN, and a plugin that speaks the protocol is taken at its word', async () => {
  const results: CheckResult[] = [];
  const runner = new CheckRunner({ clock: systemClock, log: () => undefined, report: async (_id, r) => void results.push(r) });
  try {
    runner.set('app-2', '127.0.0.1', [
      { name: 'dummy', kind: 'command', command: ['check_dummy', '1', 'degraded'], intervalSeconds: 0.2, retryIntervalSeconds: 0.2, maxCheckAttempts: 1 },
      { name: 'missing', kind: 'command', command: ['/nonexistent/check'], intervalSeconds: 0.2, retryIntervalSeconds: 0.2, maxCheckAttempts: 1 },
    ]);
    await eventually(() => results.some((r) => r.check === 'dummy') && results.some((r) => r.check === 'missing'), 'both ran');
    const dummy = results.find((r) => r.check === 'dummy') as CheckResult;
    assert.deepEqual([dummy.state, dummy.type, dummy.output], ['WARNING', 'HARD', 'WARNING: degraded']);
    assert.equal(results.find((r) => r.check === 'missing')?.state, 'UNKNOWN');
  } finally {
    runner.stopAll();
  }
});

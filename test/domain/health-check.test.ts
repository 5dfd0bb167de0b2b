import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  healthChecksSchema,
  INITIAL_STANDING,
  nextStanding,
  parsePerfdata,
  parsePluginOutput,
  pluginArgv,
  stateOfExit,
  type CheckStanding,
  type CheckState,
} from '../../src/domain/health-check.ts';
import { decideRestart } from '../../src/domain/restart-policy.ts';

test('perfdata: the output check_tcp printed here, quoted labels, units, empty and unknown fields', () => {
  assert.deepEqual(parsePerfdata('time=0.000159s;1.000000;2.000000;0.000000;10.000000'), [
    { label: 'time', value: 0.000159, uom: 's', warn: '1.000000', crit: '2.000000', min: 0, max: 10 },
  ]);
  assert.deepEqual(parsePerfdata("'disk used /'=42.5%;80;90 'it''s'=3c;;;0 size=1024B"), [
    { label: 'disk used /', value: 42.5, uom: '%', warn: '80', crit: '90', min: null, max: null },
    { label: "it's", value: 3, uom: 'c', warn: null, crit: null, min: 0, max: null },
    { label: 'size', value: 1024, uom: 'B', warn: null, crit: null, min: null, max: null },
  ]);
  // Ranges stay text; U (unknown), a unit outside the guidelines and garbage are left out.
  assert.deepEqual(parsePerfdata('rta=1.5ms;@10:20;~:30 loss=U pl=5parsecs junk =1'), [{ label: 'rta', value: 1.5, uom: 'ms', warn: '@10:20', crit: '~:30', min: null, max: null }]);
  assert.deepEqual(parsePerfdata(''), []);
});

test('plugin output: first line, long output and perfdata on both', () => {
  const out = parsePluginOutput('HTTP OK: HTTP/1.1 200 OK - 120 bytes in 0.001 second response time |time=0.001s;;;0.000000;10.000000 size=120B;;;0\nline two\nline three | extra=7\nmore=8c\n');
  assert.equal(out.summary, 'HTTP OK: HTTP/1.1 200 OK - 120 bytes in 0.001 second response time');
  assert.equal(out.longOutput, 'line two\nline three');
  assert.deepEqual(out.perfdata.map((p) => [p.label, p.value, p.uom]), [['time', 0.001, 's'], ['size', 120, 'B'], ['extra', 7, ''], ['more', 8, 'c']]);
  assert.deepEqual(parsePluginOutput('PING OK'), { summary: 'PING OK', longOutput: '', perfdata: [] });
  assert.deepEqual([0, 1, 2, 3, 4, null].map(stateOfExit), ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
});

test('soft and hard states as Nagios keeps them', () => {
  const run = (results: CheckState[], max = 3) => {
    let s: CheckStanding = INITIAL_STANDING;
    return results.map((r) => {
      const n = nextStanding(s, r, max);
      s = n;
      return `${n.state}/${n.type}/${n.attempt}${n.retry ? '/retry' : ''}`;
    });
  };
  assert.deepEqual(run(['OK', 'WARNING', 'CRITICAL', 'CRITICAL', 'CRITICAL']), ['OK/HARD/1', 'WARNING/SOFT/1/retry', 'CRITICAL/SOFT/2/retry', 'CRITICAL/HARD/3', 'CRITICAL/HARD/3']);
  // A recovery from a soft state resets the attempts; a hard non-OK changing state stays hard.
  assert.deepEqual(run(['CRITICAL', 'OK', 'CRITICAL', 'CRITICAL', 'CRITICAL', 'WARNING', 'OK']), [
    'CRITICAL/SOFT/1/retry',
    'OK/HARD/1',
    'CRITICAL/SOFT/1/retry',
    'CRITICAL/SOFT/2/retry',
    'CRITICAL/HARD/3',
    'WARNING/HARD/3',
    'OK/HARD/1',
  ]);
  assert.deepEqual(run(['UNKNOWN'], 1), ['UNKNOWN/HARD/1']);
});

test('check definitions: what each kind needs and may not have, names unique', () => {
  const ok = healthChecksSchema.safeParse([
    { name: 'web', kind: 'http', port: 8080, path: '/health', expectStatus: 200, warning: '1', critical: '2' },
    { name: 'ssh', kind: 'tcp', port: 22 },
    { name: 'alive', kind: 'ping' },
    { name: 'own', kind: 'command', command: ['check_dummy', '0', 'fine'] },
  ]);
  assert.ok(ok.success, JSON.stringify(ok.error?.issues));
  const bad = (checks: unknown[]) => {
    const r = healthChecksSchema.safeParse(checks);
    assert.ok(!r.success, `${JSON.stringify(checks)} must be refused`);
    return r.error.issues.map((i) => i.path.join('.'));
  };
  assert.deepEqual(bad([{ name: 'a', kind: 'tcp' }]), ['0.port']);
  assert.deepEqual(bad([{ name: 'a', kind: 'ping', port: 1 }]), ['0.port']);
  assert.deepEqual(bad([{ name: 'a', kind: 'command' }]), ['0.command']);
  assert.deepEqual(bad([{ name: 'a', kind: 'http', path: '/x;rm -rf /' }]), ['0.path']);
  assert.deepEqual(bad([{ name: 'a', kind: 'tcp', port: 1, warning: '1; reboot' }]), ['0.warning']);
  assert.deepEqual(bad([{ name: 'a', kind: 'ping' }, { name: 'a', kind: 'ping' }]), ['1.name']);
  assert.deepEqual(bad([{ name: 'Bad Name', kind: 'ping' }]), ['0.name']);
});

test('plugin argv: the standard plugins against the address, a command with $HOSTADDRESS$', () => {
  assert.deepEqual(pluginArgv({ name: 'w', kind: 'http', port: 80, path: '/x', expectStatus: 200 }, '10.0.0.5'), {
    plugin: 'check_http',
    builtin: true,
    args: ['-I', '10.0.0.5', '-p', '80', '-u', '/x', '-e', '200', '-t', '10'],
  });
  assert.deepEqual(pluginArgv({ name: 'p', kind: 'ping' }, '10.0.0.5').args, ['-H', '10.0.0.5', '-w', '100,20%', '-c', '500,60%', '-p', '3', '-t', '10']);
  assert.deepEqual(pluginArgv({ name: 'c', kind: 'command', command: ['/opt/check', '--host=$HOSTADDRESS$'] }, '10.0.0.5'), { plugin: '/opt/check', builtin: false, args: ['--host=10.0.0.5'] });
});

test('restart policy: in place, then elsewhere, then it stays; the window forgets', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const ago = (min: number) => new Date(now.getTime() - min * 60_000).toISOString();
  assert.deepEqual(decideRestart([], now), { action: 'in-place' });
  assert.deepEqual(decideRestart([{ at: ago(10), elsewhere: false }], now), { action: 'elsewhere' });
  assert.equal(decideRestart([{ at: ago(10), elsewhere: false }, { at: ago(5), elsewhere: true }], now).action, 'none');
  assert.deepEqual(decideRestart([{ at: ago(90), elsewhere: false }, { at: ago(70), elsewhere: true }], now), { action: 'in-place' });
});

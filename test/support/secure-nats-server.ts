import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '@nats-io/nkeys';
import type { NatsSecurity } from '../../src/bus/nats-security.ts';
import { freePort } from './server-process.ts';

/** The configuration the secure deployment is documented with; the server below runs it as it is. */
export const SECURE_NATS_CONF = join(import.meta.dirname, '../../docs/nats-server.conf');

/** A client certificate signed by the test CA. */
export interface ClientCert {
  cert: string;
  key: string;
}

export interface SecureNats {
  url: string;
  pid: number;
  ca: string;
  /** A certificate from a CA the server does not trust. */
  foreignCert: ClientCert;
  /** What the control plane connects with: its certificate, user and password. */
  controlPlane: NatsSecurity;
  /** What every agent connects with: an agent certificate and the agents' NKey seed file. */
  agent: NatsSecurity;
  log(): string;
  stop(): Promise<void>;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

function makeCa(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`]);
  return { cert, key };
}

function issue(dir: string, ca: { cert: string; key: string }, name: string, ext: string): ClientCert {
  const key = join(dir, `${name}-key.pem`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, `${ext}\n`);
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  openssl(dir, ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', extFile]);
  return { cert, key };
}

/**
 * A nats-server of the test's own, on a free loopback port, with JetStream and its store in a
 * temp dir, started from docs/nats-server.conf: TLS with client certificates and authorization
 * required. Certificates (a CA, the server's, the clients') are made here with openssl. `stop`
 * kills the server by its PID and removes the temp dir; call it from `t.after` / `after`.
 */
export async function startSecureNats(): Promise<SecureNats> {
  const dir = mkdtempSync(join(tmpdir(), 'fy-secure-nats-'));
  let child: ChildProcess | undefined;
  let output = '';
  const stop = async (): Promise<void> => {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      process.kill(c.pid as number, 'SIGTERM');
      const timer = setTimeout(() => c.exitCode === null && process.kill(c.pid as number, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ca = makeCa(dir, 'ca');
    const server = issue(dir, ca, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth');
    const cpCert = issue(dir, ca, 'control-plane', 'extendedKeyUsage=clientAuth');
    const agentCert = issue(dir, ca, 'agent', 'extendedKeyUsage=clientAuth');
    const foreign = issue(dir, makeCa(dir, 'foreign-ca'), 'stranger', 'extendedKeyUsage=clientAuth');
    const agentUser = createUser();
    const seedFile = join(dir, 'agent.nk');
    writeFileSync(seedFile, new TextDecoder().decode(agentUser.getSeed()), { mode: 0o600 });
    const password = randomBytes(18).toString('base64url');
    const port = await freePort();
    child = spawn('/usr/sbin/nats-server', ['-c', SECURE_NATS_CONF], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        FY_NATS_LISTEN: `127.0.0.1:${port}`,
        FY_NATS_STORE_DIR: join(dir, 'jetstream'),
        FY_NATS_TLS_CERT: server.cert,
        FY_NATS_TLS_KEY: server.key,
        FY_NATS_TLS_CA: ca.cert,
        FY_NATS_CONTROL_PLANE_PASSWORD: password,
        FY_NATS_AGENT_NKEY: agentUser.getPublicKey(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const end = Date.now() + 20_000;
    while (!/Server is ready/.test(output)) {
      if (child.exitCode !== null) throw new Error(`nats-server exited ${child.exitCode}: ${output.slice(-2000)}`);
      if (Date.now() > end) throw new Error(`nats-server did not start: ${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      url: `nats://127.0.0.1:${port}`,
      pid: child.pid as number,
      ca: ca.cert,
      foreignCert: foreign,
      controlPlane: { tlsCa: ca.cert, tlsCert: cpCert.cert, tlsKey: cpCert.key, user: 'fleetyard-control-plane', password },
      agent: { tlsCa: ca.cert, tlsCert: agentCert.cert, tlsKey: agentCert.key, nkeySeedFile: seedFile },
      log: () => output,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

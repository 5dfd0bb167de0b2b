import ssh2, { type ConnectConfig } from 'ssh2';

const { Client } = ssh2;

/**
 * Runs one command over SSH in an appliance and returns its exit code and output; rejects when
 * the login is refused. Tests dial only the 169.254 addresses of networks they made, from the
 * bridge's gateway address, and pin the host key the appliance printed on its console.
 */
export function sshRun(
  target: { address: string; localAddress: string; hostKey: Buffer },
  auth: { username: string; privateKey?: string; password?: string },
  command: string,
): Promise<{ code: number | null; stdout: string }> {
  if (!target.address.startsWith('169.254.')) throw new Error(`refusing to dial ${target.address}`);
  const config: ConnectConfig = {
    host: target.address,
    port: 22,
    localAddress: target.localAddress,
    readyTimeout: 10_000,
    hostVerifier: (key: Buffer) => key.equals(target.hostKey),
    ...auth,
  };
  return new Promise((resolve, reject) => {
    const conn = new Client();
    conn.on('error', reject);
    conn.on('ready', () => {
      conn.exec(command, (err, stream) => {
        if (err) return reject(err);
        let stdout = '';
        let code: number | null = null;
        stream.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
        stream.stderr.resume();
        stream.on('exit', (c: number | null) => (code = c));
        stream.on('close', () => {
          conn.end();
          resolve({ code, stdout });
        });
      });
    });
    conn.connect(config);
  });
}

/** The SSH host key an appliance printed on its console (`fleetyard-ssh-host-key …`). */
export function hostKeyFromConsole(text: string): Buffer {
  const keys = [...text.matchAll(/^fleetyard-ssh-host-key ssh-ed25519 ([A-Za-z0-9+/=]+)/gm)];
  const last = keys.at(-1)?.[1];
  if (!last) throw new Error(`no host key on the console:\n${text.slice(-2000)}`);
  return Buffer.from(last, 'base64');
}

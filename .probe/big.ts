import http from 'node:http';
import { startSimControlPlane } from '../test/api/sim-control-plane.ts';
const api = await startSimControlPlane();
const u = new URL(api.cp.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
function req(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<[number, string]> {
  return new Promise((res, rej) => {
    const r = http.request({ host: '127.0.0.1', port: Number(u.port), method, path, headers, agent }, (resp) => {
      const chunks: Buffer[] = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => res([resp.statusCode ?? 0, Buffer.concat(chunks).toString('utf8').slice(0, 160)]));
    });
    r.on('error', rej);
    if (body !== undefined) r.end(body); else r.end();
  });
}
const J = { 'content-type': 'application/json' };
const big = JSON.stringify({ name: 'x'.repeat(2_000_000) });
const deepObj = '{"a":'.repeat(150000) + '1' + '}'.repeat(150000);
const deepArr = '{"command":' + '['.repeat(400000) + ']'.repeat(400000) + '}';
const deepLabels = '{"name":"a","imageId":"x","labels":' + '{"a":'.repeat(150000) + '1' + '}'.repeat(150000) + '}';
const deepReq = '{"name":"a","imageId":"x","requirements":' + '{"cpu":'.repeat(150000) + '1' + '}'.repeat(150000) + '}';
for (let i = 0; i < 3; i++) {
  for (const [n, b, h] of [['big', big, J], ['bigchunked', big, { ...J, 'transfer-encoding': 'chunked' }], ['deepObj', deepObj, J], ['deepArr', deepArr, J], ['deepLabels', deepLabels, J], ['deepReq', deepReq, J]] as const) {
    try { const t = Date.now(); const [s, body] = await req('POST', '/api/v1/appliances', b, h as Record<string, string>); console.log(n, s, body, Date.now() - t, 'ms'); }
    catch (e) { console.log(n, 'ERR', String(e)); }
  }
}
console.log(await req('GET', '/healthz'));
agent.destroy();
await api.cleanup();

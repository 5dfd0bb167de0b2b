import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Image } from '../../src/domain/image.ts';
import type { Kernel } from '../../src/domain/kernel.ts';

/** A tiny JSON client for tests that talk to a control plane over its real socket. */
export class TestApi {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** A file as the streamed body of a PUT (an upload), with its length and media type. */
  async put<T = unknown>(path: string, file: string, contentType = 'application/octet-stream'): Promise<{ status: number; body: T }> {
    const res = await fetch(this.url + path, {
      method: 'PUT',
      headers: {
        'content-type': contentType,
        'content-length': String(statSync(file).size),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** Creates an image and uploads its root filesystem tarball (what `fleetyard image import` does). */
  async uploadImage(name: string, tarball: string, command?: string[]): Promise<Image> {
    const image = await this.ok<Image>('POST', '/api/v1/images', { name, ...(command ? { command } : {}) });
    const r = await this.put<Image>(`/api/v1/images/${image.id}/file`, tarball, tarball.endsWith('gz') ? 'application/gzip' : 'application/x-tar');
    if (r.status !== 200) throw new Error(`uploading ${tarball} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Creates a kernel and uploads its initrd and vmlinuz into the kernel store. */
  async uploadKernel(name: string, files: { vmlinuz: string; initrd: string | null; cmdline?: string }): Promise<Kernel> {
    let kernel = await this.ok<Kernel>('POST', '/api/v1/kernels', { name, ...(files.cmdline !== undefined ? { cmdline: files.cmdline } : {}) });
    for (const [file, path] of [['initrd', files.initrd], ['vmlinuz', files.vmlinuz]] as const) {
      if (path === null) continue;
      const r = await this.put<Kernel>(`/api/v1/kernels/${kernel.id}/${file}`, path);
      if (r.status !== 200) throw new Error(`uploading ${path} as the ${file} answered ${r.status}: ${JSON.stringify(r.body)}`);
      kernel = r.body;
    }
    return kernel;
  }

  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Waits until every appliance satisfies `done`; throws with the laggards after the deadline. */
  /**
   * A test's cleanup, best effort (it runs after a failure too): deletes the appliances and waits,
   * up to 30 s, until they are gone. Never throws.
   */
  async deleteAppliancesQuietly(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.call('DELETE', `/api/v1/appliances/${id}`).catch(() => undefined)));
    await this.waitAppliances([...ids], (a) => a === undefined, 'cleanup', 30_000).catch(() => undefined);
  }

  async waitAppliances(ids: string[], done: (a: Appliance | undefined) => boolean, what: string, deadlineMs = 60_000): Promise<void> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const states = await Promise.all(
        ids.map(async (id) => {
          const r = await this.call<Appliance>('GET', `/api/v1/appliances/${id}`);
          return { id, a: r.status === 404 ? undefined : r.body };
        }),
      );
      const pending = states.filter((s) => !done(s.a));
      if (pending.length === 0) return;
      if (Date.now() > end) {
        const show = pending.slice(0, 5).map((s) => `${s.id}: ${s.a ? `${s.a.status.phase} ${s.a.status.message ?? ''}` : 'gone'}`);
        throw new Error(`gave up waiting for ${what}; ${pending.length} not there: ${show.join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Asks for a move (POST …/move) and waits until that move has ended, running or failed. */
  async moveAppliance(id: string, to: string, deadlineMs = 180_000): Promise<Appliance> {
    const asked = await this.ok<Appliance>('POST', `/api/v1/appliances/${id}/move`, { to });
    const moveId = asked.spec.move?.id;
    if (!moveId) throw new Error(`the move of ${id} to ${to} was not recorded`);
    let done: Appliance | undefined;
    await this.waitAppliances([id], (a) => {
      if (a?.status.lastMove?.id === moveId && (a.status.phase === 'running' || a.status.phase === 'failed')) done = a;
      return done !== undefined;
    }, `the move to ${to}`, deadlineMs);
    return done as Appliance;
  }
}

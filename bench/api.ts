import { readFile } from 'node:fs/promises';

/**
 * The few calls of the public HTTP API the benchmark makes, over a real socket with fetch, so
 * every measured latency includes what a client sees: HTTP parsing, validation, serialisation.
 */
export interface ApplianceRef {
  id: string;
  name: string;
}

export class BenchApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** Creates an image and imports it from `source`, a tarball or directory in one of the server's import directories. */
  async importImage(name: string, source: string): Promise<{ id: string; sizeBytes: number }> {
    const created = (await this.call('POST', '/api/v1/images', { name })) as { id: string };
    const img = (await this.call('POST', `/api/v1/images/${created.id}/import`, { source })) as { id: string; status: { sizeBytes: number } };
    return { id: img.id, sizeBytes: img.status.sizeBytes };
  }

  async deleteImage(id: string): Promise<void> {
    await this.call('DELETE', `/api/v1/images/${id}`);
  }

  async createAppliance(name: string, imageId: string): Promise<ApplianceRef> {
    return (await this.call('POST', '/api/v1/appliances', { name, imageId })) as ApplianceRef;
  }

  /** Creates a kernel and uploads its initrd, then its vmlinuz, into the server's kernel store. */
  async registerKernel(name: string, k: { vmlinuz: string; initrd: string; cmdline: string }): Promise<{ id: string }> {
    const kernel = (await this.call('POST', '/api/v1/kernels', { name, cmdline: k.cmdline })) as { id: string };
    for (const [file, path] of [['initrd', k.initrd], ['vmlinuz', k.vmlinuz]] as const) {
      const res = await fetch(`${this.baseUrl}/api/v1/kernels/${kernel.id}/${file}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: await readFile(path),
        signal: AbortSignal.timeout(120_000),
      });
      if (!res.ok) throw new Error(`PUT ${file} of kernel ${name}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
    }
    return { id: kernel.id };
  }

  /** An appliance asking for the qemu driver, booting `kernelId`; `hostname` is what its console will name. */
  async createVm(name: string, imageId: string, kernelId: string, memoryMiB: number): Promise<ApplianceRef & { hostname: string }> {
    const a = (await this.call('POST', '/api/v1/appliances', {
      name,
      imageId,
      kernelId,
      requirements: { virtualization: 'qemu', memoryMiB },
    })) as ApplianceRef & { spec: { hostname: string } };
    return { id: a.id, name: a.name, hostname: a.spec.hostname };
  }

  async stopAppliance(id: string): Promise<void> {
    await this.call('POST', `/api/v1/appliances/${id}/stop`);
  }

  async deleteAppliance(id: string): Promise<void> {
    await this.call('DELETE', `/api/v1/appliances/${id}`);
  }

  /** The appliance's console output (stdout and stderr of its first process). */
  async logs(id: string): Promise<string> {
    return this.request('GET', `/api/v1/appliances/${id}/logs`);
  }

  /** Every appliance the control plane still has (cleanup after a failure). */
  async listApplianceIds(): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const q: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
      const res = (await this.call('GET', `/api/v1/appliances${q}`)) as { items: ApplianceRef[]; nextCursor: string | null };
      ids.push(...res.items.map((a) => a.id));
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    return ids;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const text = await this.request(method, path, body);
    return text ? (JSON.parse(text) as unknown) : null;
  }

  private async request(method: string, path: string, body?: unknown): Promise<string> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return text;
  }
}

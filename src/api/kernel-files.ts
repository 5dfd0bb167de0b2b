import type { Readable } from 'node:stream';
import { FleetyardError } from '../domain/errors.ts';
import type { Kernel, KernelFile, KernelSpec, KernelStatus } from '../domain/kernel.ts';
import type { StagedKernelFile } from '../storage/kernel-store.ts';
import type { ApiContext } from './context.ts';

export interface KernelFileSource {
  file: KernelFile;
  source: Readable;
  /** The request field it came from, for error details. */
  field: string;
}

const pathKey = { vmlinuz: 'vmlinuzPath', initrd: 'initrdPath' } as const satisfies Record<KernelFile, keyof KernelSpec>;
const bytesKey = { vmlinuz: 'vmlinuzBytes', initrd: 'initrdBytes' } as const satisfies Record<KernelFile, keyof KernelStatus>;

/**
 * Puts files into a kernel's store directory and the kernel record, all or none: each file is
 * checked (kind and size) into a temporary file first, and only when all passed are they renamed
 * into place and recorded. A file once in the store is never replaced (a VM may be booting it):
 * to change a kernel, make a new one. Paths of the record that do not point into the store (a
 * kernel from before the store, see migration 008) are dropped on the way, so afterwards the
 * record names store files only. `busy` holds the uploads in flight in this process, so two
 * uploads of one file cannot race.
 */
export async function putKernelFiles(ctx: ApiContext, kernelId: string, sources: KernelFileSource[], busy: Set<string>): Promise<Kernel> {
  const { store } = ctx;
  const { kernels } = ctx.uploads;
  const kernel = await store.read.kernels.require(kernelId);
  const keys = sources.map((s) => `${kernelId}/${s.file}`);
  for (const s of sources) {
    const current = kernel.spec[pathKey[s.file]];
    if (current !== null && (await kernels.holds(current))) {
      throw new FleetyardError('FY_KERNEL_STATE', `kernel ${kernel.name} already has its ${s.file}; make a new kernel to change it`, { field: s.field });
    }
  }
  if (keys.some((k) => busy.has(k))) throw new FleetyardError('FY_KERNEL_STATE', `a file of kernel ${kernel.name} is being uploaded right now`);
  keys.forEach((k) => busy.add(k));
  const staged: Array<{ file: KernelFile; staged: StagedKernelFile }> = [];
  try {
    for (const s of sources) {
      staged.push({ file: s.file, staged: await kernels.stage(kernelId, s.file, s.source, { maxBytes: ctx.uploads.maxKernelFileBytes, field: s.field }) });
    }
    for (const s of staged) await s.staged.commit();
    const kept: Partial<Record<KernelFile, string | null>> = {};
    for (const file of ['vmlinuz', 'initrd'] as const) {
      const path = kernel.spec[pathKey[file]];
      kept[file] = path !== null && (await kernels.holds(path)) ? path : null;
    }
    return await store.transaction(async (tx) => {
      const cur = await tx.kernels.require(kernelId);
      const spec: KernelSpec = { ...cur.spec, vmlinuzPath: kept.vmlinuz ?? null, initrdPath: kept.initrd ?? null };
      const status: KernelStatus = {
        ...cur.status,
        vmlinuzBytes: kept.vmlinuz ? cur.status.vmlinuzBytes : null,
        initrdBytes: kept.initrd ? cur.status.initrdBytes : null,
      };
      for (const s of staged) {
        spec[pathKey[s.file]] = s.staged.path;
        status[bytesKey[s.file]] = s.staged.sizeBytes;
      }
      const ready = spec.vmlinuzPath !== null;
      const next = await tx.kernels.update(
        { ...cur, spec, status: { ...status, state: ready ? 'ready' : 'queued', message: null } },
        store.clock.now(),
      );
      const names = staged.map((s) => s.file).join(' and ');
      await tx.emit({
        type: ready ? 'kernel.ready' : 'kernel.file-stored',
        kind: 'kernel',
        objectId: kernelId,
        message: `kernel ${cur.name}: ${names} stored${ready ? ', ready' : ''}`,
        data: { files: staged.map((s) => s.file) },
      });
      return next;
    });
  } catch (e) {
    for (const s of staged) await s.staged.discard();
    throw e;
  } finally {
    keys.forEach((k) => busy.delete(k));
  }
}

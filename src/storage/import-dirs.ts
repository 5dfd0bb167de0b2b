import { constants } from 'node:fs';
import { open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { FleetyardError } from '../domain/errors.ts';

/**
 * The directories on the server an admin may import images and kernels from (`--import-dir`,
 * FLEETYARD_IMPORT_DIRS; DATA_DIR/import by default). Nothing outside them is ever read for an
 * import: a path is resolved with realpath (so neither `..` nor a symlink leads out), opened
 * without following a last symlink, and the opened file's own path (/proc/self/fd) is checked
 * again, so a rename between the check and the open cannot swap in a file from elsewhere.
 * Only regular files and directories qualify: a FIFO or a device is refused before it is read.
 */
export interface OpenedSource {
  kind: 'file' | 'dir';
  /** Closed by whoever consumes it (a read stream closes it at its end). */
  handle: FileHandle;
  /** The resolved path inside an import directory (for messages). */
  path: string;
  sizeBytes: number;
}

export class ImportDirs {
  readonly dirs: readonly string[];
  private readonly protectedDirs: readonly string[];

  /**
   * `protectedDirs` (the data directory) are never read through an import directory that merely
   * contains them (`--import-dir /`): its database, keys and tokens are not image material. An
   * import directory inside one (the default, DATA_DIR/import) is the admin's and is read.
   */
  constructor(dirs: readonly string[], opts: { protectedDirs?: readonly string[] } = {}) {
    for (const d of [...dirs, ...(opts.protectedDirs ?? [])]) if (!isAbsolute(d)) throw new RangeError(`import directory must be absolute: ${d}`);
    this.dirs = dirs;
    this.protectedDirs = opts.protectedDirs ?? [];
  }

  /**
   * Opens `path` if it is a regular file or directory inside an import directory; otherwise
   * FY_IMPORT_PATH with `details.field` naming the request field it came from.
   */
  async open(path: string, field: string, allowed: ReadonlyArray<'file' | 'dir'> = ['file', 'dir']): Promise<OpenedSource> {
    const refuse = (why: string) =>
      new FleetyardError('FY_IMPORT_PATH', `${field}: ${path.slice(0, 300)} ${why}; import directories: ${this.dirs.join(', ') || '(none)'}`, {
        field,
        importDirs: [...this.dirs],
      });
    if (!isAbsolute(path) || path.includes('\0')) throw refuse('is not an absolute path');
    const roots = await this.resolvedRoots();
    const guarded = await resolvedAll(this.protectedDirs);
    // Inside an import directory, and not in a protected one unless that import directory is too.
    const permitted = (p: string) => roots.some((root) => isInside(p, root) && !guarded.some((g) => isWithin(p, g) && !isWithin(root, g)));
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw refuse('is not a file inside an import directory');
    }
    if (!permitted(real)) throw refuse('is not inside an import directory');
    let handle: FileHandle;
    try {
      // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
      handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      throw refuse('cannot be opened');
    }
    try {
      const opened = await readlink(`/proc/self/fd/${handle.fd}`);
      if (!permitted(opened)) throw refuse('is not inside an import directory');
      const st = await handle.stat();
      const kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
      if (kind === null || !allowed.includes(kind)) throw refuse(`is not a ${allowed.join(' or ').replace('dir', 'directory')}`);
      // A directory is packed whole: one holding a protected directory would carry it along.
      if (kind === 'dir' && guarded.some((g) => isInside(g, opened))) throw refuse('holds the data directory');
      return { kind, handle, path: opened, sizeBytes: kind === 'file' ? st.size : 0 };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  private resolvedRoots(): Promise<string[]> {
    return resolvedAll(this.dirs);
  }
}

/** The directories as realpath gives them; one that does not exist (yet) holds nothing. */
async function resolvedAll(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) {
    try {
      out.push(await realpath(d));
    } catch {
      // absent: nothing can be inside it
    }
  }
  return out;
}

/** Whether `path` is `root` or lies below it. */
function isWithin(path: string, root: string): boolean {
  return path === root || isInside(path, root);
}

/** Whether `path` lies strictly below `root` (both resolved). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

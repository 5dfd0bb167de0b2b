import { Transform, type TransformCallback } from 'node:stream';
import { FleetyardError } from '../domain/errors.ts';

/**
 * Counts the bytes that pass and fails the stream once more than `maxBytes` went through, so an
 * upload is refused while it arrives instead of after it filled the disk. `onProgress` hears the
 * running total after every chunk (callers throttle what they do with it).
 */
export class ByteMeter extends Transform {
  bytes = 0;

  constructor(
    private readonly opts: { maxBytes: number; tooLarge: (maxBytes: number) => Error; onProgress?: (bytes: number) => void },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.opts.maxBytes) return done(this.opts.tooLarge(this.opts.maxBytes));
    this.opts.onProgress?.(this.bytes);
    done(null, chunk);
  }
}

/**
 * Holds back the first `size` bytes (or all of a shorter stream) and lets them and everything
 * after through only once `check` accepted them; `check` throws to refuse the stream. This is
 * how a file is checked for what it claims to be before any of it is kept.
 */
export class HeadCheck extends Transform {
  private head: Buffer[] = [];
  private held = 0;
  private passed = false;

  constructor(
    private readonly size: number,
    private readonly check: (head: Buffer) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.passed) return done(null, chunk);
    this.head.push(chunk);
    this.held += chunk.length;
    if (this.held < this.size) return done();
    this.release(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.passed) return done();
    this.release(done);
  }

  private release(done: TransformCallback): void {
    const all = Buffer.concat(this.head);
    this.head = [];
    try {
      this.check(all.subarray(0, this.size));
    } catch (e) {
      return done(e as Error);
    }
    this.passed = true;
    done(null, all);
  }
}

/** What an upload over its limit is refused with; `field` names the body or file. */
export function tooLarge(field: string, maxBytes: number): FleetyardError {
  return new FleetyardError('FY_UPLOAD_TOO_LARGE', `${field}: more than the maximum of ${maxBytes} bytes`, { field, maxBytes });
}

/**
 * Whether a stream failed because its data stopped coming (the client went away, closed early,
 * or stalled), which is the sender's doing, as opposed to this host failing to keep it (a full
 * disk), which is not.
 */
export function endedEarly(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  return ['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'ETIMEDOUT'].includes(code) || (e as Error | undefined)?.message === 'aborted';
}

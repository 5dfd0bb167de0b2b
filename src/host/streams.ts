import { spawn } from 'node:child_process';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CommandError } from './exec.ts';

/**
 * Host commands fed from, or read as, a stream: for work whose length depends on its input (an
 * image of many gigabytes unpacked by `tar`), where any fixed timeout would be wrong. They run
 * as long as data flows; the caller bounds the input (size limits, a stalled client's socket
 * timeout), and a failing stage stops the command at once.
 */

type Stage = NodeJS.ReadableStream | NodeJS.ReadWriteStream;

/**
 * Runs `command` with `stages` piped into its stdin (the first a Readable, the rest Transforms).
 * Resolves once the input is consumed and the command exited 0. A failing stage kills the
 * command and rejects with the stage's error; a command that fails on its own rejects with a
 * CommandError carrying its stderr, and stops the stages. A command that is done before its
 * input is (tar stops at its end-of-archive blocks) lets the rest be read and dropped, so the
 * stages still see the whole input (byte counts, size limits) and the result does not depend on
 * who finished first.
 */
export async function pipeInto(command: string, args: readonly string[], stages: readonly Stage[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  const failure = (code: number | null, signal: NodeJS.Signals | null) =>
    new CommandError(command, args, code, signal ? `${stderr}\nkilled by ${signal}` : stderr);
  const sink = new IntoStdin(child.stdin);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', (e) => {
      sink.destroy(e);
      reject(e);
    });
    child.once('close', (code, signal) => {
      if (code !== 0) sink.destroy(failure(code, signal));
      resolve({ code, signal });
    });
  });
  exited.catch(() => undefined); // awaited below on every path
  try {
    await pipeline([...stages, sink]);
  } catch (e) {
    child.kill('SIGKILL');
    await exited.catch(() => undefined);
    throw e;
  }
  const { code, signal } = await exited;
  if (code !== 0) throw failure(code, signal);
}

/** A child's stdin as the end of a pipeline; what arrives after the child closed it is dropped. */
class IntoStdin extends Writable {
  private pending: (() => void) | null = null;
  private childDone = false;

  constructor(private readonly stdin: Writable) {
    super();
    const closed = () => {
      this.childDone = true;
      this.release();
    };
    // EPIPE once the child stopped reading: not an error of the pipeline (see pipeInto).
    stdin.on('error', closed);
    stdin.on('close', closed);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.childDone || this.stdin.write(chunk)) return done();
    this.pending = done;
    this.stdin.once('drain', () => this.release());
  }

  override _final(done: (e?: Error | null) => void): void {
    if (!this.childDone) this.stdin.end();
    done();
  }

  private release(): void {
    const done = this.pending;
    this.pending = null;
    done?.();
  }
}

/**
 * Runs `command` and hands its stdout out as a stream; `done` settles when it exited (a
 * CommandError unless with 0). Closing the stream early kills the command.
 */
export function streamFrom(command: string, args: readonly string[]): { stdout: Readable; done: Promise<void> } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  child.stdout.once('close', () => {
    if (!child.stdout.readableEnded && child.exitCode === null) child.kill('SIGKILL');
  });
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new CommandError(command, args, code, signal ? `${stderr}\nkilled by ${signal}` : stderr));
    });
  });
  // Settled by the caller's await on the way that succeeds; on a way that fails early it may
  // never be awaited, and its rejection is then a consequence of the error already reported.
  done.catch(() => undefined);
  return { stdout: child.stdout, done };
}

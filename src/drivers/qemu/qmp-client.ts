import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';

/**
 * Fleetyard's own client of the QEMU Machine Protocol over a unix socket (no maintained npm
 * package exists). The protocol: QEMU greets with `{"QMP": …}`; the client must send
 * `qmp_capabilities` before anything else; then each command `{"execute", "arguments", "id"}`
 * gets exactly one `{"return"}` or `{"error"}` carrying the same id, and events
 * `{"event", "data", "timestamp"}` arrive unsolicited in between. One JSON object per line, both
 * ways.
 *
 * Replies are matched by id, so commands may overlap; a reply that comes after its command timed
 * out is dropped. A QMP socket serves one client at a time (QEMU queues the next connection until
 * the current one closes), so callers keep connections short, except one dedicated to events.
 *
 * Emits 'event' (QmpEvent) and 'close' (once, when the connection ends for any reason).
 */

export interface QmpEvent {
  event: string;
  data: Record<string, unknown>;
  /** When QEMU emitted it, as an ISO timestamp. */
  at: string;
}

/** A command QEMU refused (`{"error": {"class", "desc"}}`), or a failure to talk to it. */
export class QmpError extends Error {
  constructor(
    message: string,
    readonly errorClass: string | null = null,
  ) {
    super(message);
    this.name = 'QmpError';
  }
}

interface Pending {
  command: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class QmpClient extends EventEmitter {
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private closed = false;
  private greeting: ((err: Error | null) => void) | null = null;

  private constructor(
    private readonly socket: Socket,
    readonly path: string,
  ) {
    super();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (err) => this.shutdown(new QmpError(`QMP ${path}: ${err.message}`)));
    socket.on('close', () => this.shutdown(new QmpError(`QMP ${path}: connection closed`)));
  }

  /**
   * Connects, reads the greeting and negotiates capabilities: what comes back is ready for
   * `execute`. Fails with QmpError when nothing answers within `timeoutMs` (a QEMU busy with
   * another client, or none at all).
   */
  static async connect(path: string, timeoutMs = 5_000): Promise<QmpClient> {
    const socket = connect(path);
    const client = new QmpClient(socket, path);
    const timer = setTimeout(() => client.shutdown(new QmpError(`QMP ${path}: no greeting within ${timeoutMs} ms`)), timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        client.greeting = (err) => (err ? reject(err) : resolve());
      });
      await client.execute('qmp_capabilities', undefined, timeoutMs);
      return client;
    } catch (e) {
      client.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs one command and resolves with its `return` value. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = 5_000): Promise<T> {
    if (this.closed) return Promise.reject(new QmpError(`QMP ${this.path}: connection closed`));
    const id = `fy-${this.nextId++}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QmpError(`QMP ${this.path}: ${command} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id })}\n`);
    });
  }

  /**
   * Resolves with the first event named `name` (or null when the connection closes or
   * `timeoutMs` passes first).
   */
  nextEvent(name: string, timeoutMs: number): Promise<QmpEvent | null> {
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (ev: QmpEvent | null) => {
        clearTimeout(timer);
        this.off('event', onEvent);
        this.off('close', onClose);
        resolve(ev);
      };
      const onEvent = (ev: QmpEvent) => ev.event === name && done(ev);
      const onClose = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      this.on('event', onEvent);
      this.on('close', onClose);
    });
  }

  /** Lets the process exit while this connection is open (for long-lived event listeners). */
  unref(): this {
    this.socket.unref();
    return this;
  }

  close(): void {
    this.socket.destroy();
    this.shutdown(new QmpError(`QMP ${this.path}: connection closed`));
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line.length > 0) this.onMessage(line);
    }
    if (this.buffer.length > 16 * 1024 * 1024) this.shutdown(new QmpError(`QMP ${this.path}: a line longer than 16 MiB`));
  }

  private onMessage(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.shutdown(new QmpError(`QMP ${this.path}: not JSON: ${line.slice(0, 200)}`));
      return;
    }
    if ('QMP' in msg) {
      this.greeting?.(null);
      this.greeting = null;
    } else if (typeof msg.event === 'string') {
      this.emit('event', toEvent(msg));
    } else if (typeof msg.id === 'string' && this.pending.has(msg.id)) {
      const p = this.pending.get(msg.id) as Pending;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      const error = msg.error as { class?: string; desc?: string } | undefined;
      if (error) p.reject(new QmpError(`QMP ${p.command}: ${error.desc ?? 'error'}`, error.class ?? null));
      else p.resolve(msg.return);
    }
  }

  private shutdown(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.greeting?.(err);
    this.greeting = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    this.socket.destroy();
    this.emit('close');
  }
}

function toEvent(msg: Record<string, unknown>): QmpEvent {
  const ts = msg.timestamp as { seconds?: number; microseconds?: number } | undefined;
  const ms = ts?.seconds !== undefined ? ts.seconds * 1000 + Math.floor((ts.microseconds ?? 0) / 1000) : Date.now();
  const data = msg.data !== null && typeof msg.data === 'object' ? (msg.data as Record<string, unknown>) : {};
  return { event: msg.event as string, data, at: new Date(ms).toISOString() };
}

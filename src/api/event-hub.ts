import { EventEmitter } from 'node:events';
import type { FleetyardEvent } from '../domain/event.ts';

/**
 * Fans events delivered by the bus out to this process's live streams (SSE). A stream uses an
 * event only as a wake-up and re-reads the log from its last sequence number, so nothing is
 * skipped or repeated even if deliveries arrive out of order or twice.
 */
export class EventHub {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  deliver(e: FleetyardEvent): void {
    this.emitter.emit('event', e);
  }

  subscribe(listener: (e: FleetyardEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

import { Readable } from 'node:stream';

/**
 * Reads the first `size` bytes of a stream (fewer if it ends sooner) and gives them back with a
 * stream that yields the whole of it again, head included, so a decision about how to read the
 * rest (gunzip or not) can be made before the pipeline is built. Closing the returned stream
 * closes the source.
 */
export async function peek(source: Readable, size: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < size) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    chunks.push(r.value);
    length += r.value.length;
  }
  const first = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (first.length > 0) yield first;
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      // Ends (and destroys) the source when the consumer stops early or fails.
      await it.return?.();
    }
  }
  return { head: first.subarray(0, size), stream: Readable.from(replay(), { objectMode: false }) };
}

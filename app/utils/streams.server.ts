/**
 * A response body read from an async iterable one chunk at a time, when the reader asks for it:
 * a slow reader slows the producer (a batched database read) instead of filling memory, and a
 * reader that goes away (`cancel`) ends the iterable, which closes what it held open.
 */
export function pullStream(chunks: AsyncIterable<string | Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === "string" ? encoder.encode(value) : value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

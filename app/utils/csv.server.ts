import { pipeline, Readable } from "node:stream";

import { stringify, type Options } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";

import { pullStream } from "./streams.server";

/**
 * The one way to write CSV: a UTF-8 BOM so that spreadsheets read accents, and every cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return neutralised by csv-stringify's own
 * formula escaping (OWASP CSV injection), whoever wrote the text.
 */
const safe: Options = { bom: true, escape_formulas: true, header: true };

/** A whole CSV document in memory, for small exports. */
export function toCsv(
  records: unknown[][],
  columns: string[],
  options: Pick<Options, "delimiter"> = {},
): string {
  return stringifySync(records, { ...safe, ...options, columns });
}

/**
 * A CSV stream for large exports: records are read only as fast as the CSV is consumed, so that
 * memory stays flat, and a consumer that goes away stops the reading (pipeline destroys both).
 * Returns a web ReadableStream of bytes for a `Response` body.
 */
export function csvStream(
  records: AsyncIterable<unknown[]>,
  columns: string[],
  options: Pick<Options, "delimiter"> = {},
): ReadableStream<Uint8Array> {
  const stringifier = stringify({ ...safe, ...options, columns });
  // A failure of the source reaches the consumer through the stringifier's own error.
  pipeline(Readable.from(records), stringifier, () => {});
  return pullStream(stringifier);
}

import { stringify, type Options } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";

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
 * A CSV stream for large exports: write records as they are read, so that memory stays flat.
 * Returns a web ReadableStream of bytes for a `Response` body.
 */
export function csvStream(
  records: AsyncIterable<unknown[]>,
  columns: string[],
  options: Pick<Options, "delimiter"> = {},
): ReadableStream<Uint8Array> {
  const stringifier = stringify({ ...safe, ...options, columns });
  void (async () => {
    try {
      for await (const record of records) {
        if (!stringifier.write(record)) {
          await new Promise((resolve) => stringifier.once("drain", resolve));
        }
      }
      stringifier.end();
    } catch (error) {
      stringifier.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      try {
        for await (const chunk of stringifier as AsyncIterable<string | Buffer>) {
          controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
        }
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
}

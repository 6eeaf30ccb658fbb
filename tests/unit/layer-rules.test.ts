import { ESLint } from "eslint";
import { describe, expect, test } from "vitest";

// The layer rules of DESIGN.md are lint rules: each forbidden import below must fail `npm run
// lint` with the rule's French message, and the allowed one must pass.
// no-cycle is off here: it walks the whole import graph on the first file (seconds), and these
// cases are about the zones only.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { rules: { "import-x/no-cycle": "off" } },
});

async function problems(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId?.includes("restricted"))
    .map((m) => m.message);
}

describe("règles de couches (eslint)", () => {
  test.each([
    [
      "un composant qui importe un modèle",
      "app/components/exemple.tsx",
      'import { getProfile } from "~/models/accounts.server";\nexport const x = getProfile;\n',
      "Les composants",
    ],
    [
      "un composant qui importe la base",
      "app/components/exemple.tsx",
      'import { db } from "../../db/client";\nexport const x = db;\n',
      "Les composants",
    ],
    [
      "un modèle qui importe un composant",
      "app/models/exemple.server.ts",
      'import { Pagination } from "../components/pagination";\nexport const x = Pagination;\n',
      "Les modèles ne connaissent ni composants ni routes",
    ],
    [
      "un modèle qui fabrique une réponse HTTP",
      "app/models/exemple.server.ts",
      'export const x = () => new Response("non", { status: 404 });\n',
      "Les réponses HTTP appartiennent aux routes",
    ],
    [
      "un modèle qui écrit l'outbox sans passer par search-outbox",
      "app/models/exemple.server.ts",
      'import { outbox } from "../../db/schema";\nexport const x = outbox;\n',
      "L'outbox s'écrit par",
    ],
    [
      "db/ qui importe l'application",
      "db/exemple.ts",
      'import { getConfig } from "../app/config.server";\nexport const x = getConfig;\n',
      "db/ n'importe rien de l'application",
    ],
    [
      "l'application qui écrit dans Meilisearch par l'indexeur",
      "app/models/exemple.server.ts",
      'import { startIndexer } from "../../search/indexer";\nexport const x = startIndexer;\n',
      "Seuls l'indexeur et les commandes",
    ],
    [
      "l'application qui importe le contenu de démonstration",
      "app/routes/exemple.tsx",
      'import { demoSeeds } from "../../scripts/seed/demo";\nexport const x = demoSeeds;\n',
      "n'importe ni scripts",
    ],
  ])(
    "%s échoue",
    async (_name, filePath, code, message) => {
      const found = await problems(filePath, code);
      expect(found.join("\n")).toContain(message);
    },
    // The first lint loads typescript-eslint and the resolver: seconds on a busy machine.
    60_000,
  );

  test("un modèle qui lit la base et un utilitaire passe", async () => {
    const code =
      'import { db } from "../../db/client";\nimport { slugify } from "../utils/text";\nexport const x = [db, slugify];\n';
    expect(await problems("app/models/exemple.server.ts", code)).toEqual([]);
  });
});

import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", ".data/", "node_modules/", "db/migrations/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "import-x": importX, "react-hooks": reactHooks },
    // Resolves `~/…` and `.ts` files, so that the layer zones below see every import.
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver()],
      // Without it import-x cannot read TypeScript files' exports, and no-cycle sees nothing.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
    },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "import-x/order": [
        "error",
        {
          groups: ["builtin", "external", "internal", ["parent", "sibling", "index"]],
          pathGroups: [{ pattern: "~/**", group: "internal" }],
          "newlines-between": "always",
          alphabetize: { order: "asc", caseInsensitive: true },
        },
      ],
      "import-x/no-duplicates": "error",
      // A cycle between modules gives an import that is still undefined while its module loads
      // ("Cannot access … before initialization"), depending on which module is imported first.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  // The layer rules of DESIGN.md: one zone per "never", so that a wrong import fails the lint.
  {
    files: ["**/*.{ts,tsx}"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./app/components",
              from: ["./app/models", "./db", "./app/routes"],
              message: "Les composants reçoivent des props : ni modèles, ni base, ni routes.",
            },
            {
              target: "./app/components",
              from: "./app",
              except: ["./components", "./utils", "./data"],
              message: "Les composants n'importent que des composants et des utilitaires.",
            },
            {
              target: "./app/models",
              from: ["./app/components", "./app/routes"],
              message: "Les modèles ne connaissent ni composants ni routes.",
            },
            {
              target: "./db",
              from: ["./app", "./search", "./realtime", "./scripts", "./server.ts"],
              message: "db/ n'importe rien de l'application.",
            },
            {
              target: ["./app", "./realtime"],
              from: [
                "./search/indexer.ts",
                "./search/reindex.ts",
                "./search/indexes.ts",
                "./search/check.ts",
                "./search/embedded.ts",
              ],
              message:
                "Seuls l'indexeur et les commandes écrivent dans Meilisearch : l'application lit par search/client.",
            },
            {
              target: ["./app", "./realtime", "./search", "./db"],
              from: ["./scripts", "./bench", "./tests"],
              message: "Le code de l'application n'importe ni scripts, ni bancs d'essai, ni tests.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/*.server", "**/*.server.ts"],
              message: "Un composant part dans le navigateur : pas de code *.server.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/models/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@remix-run/node",
              message:
                "Les modèles rendent des résultats typés ; les routes font les réponses HTTP.",
            },
            {
              name: "@remix-run/react",
              message: "Les modèles ne connaissent pas Remix.",
            },
          ],
          patterns: [
            {
              group: ["@conform-to/*"],
              message: "L'analyse des formulaires appartient aux routes (app/utils).",
            },
            {
              group: ["**/db/schema", "**/db/schema/*"],
              importNames: ["outbox"],
              message: "L'outbox s'écrit par app/models/search-outbox.server.ts seulement.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "Response", message: "Les réponses HTTP appartiennent aux routes." },
        { name: "Request", message: "Les modèles reçoivent des entrées typées, pas la requête." },
        {
          name: "FormData",
          message: "Les modèles reçoivent des entrées typées, pas un formulaire.",
        },
      ],
    },
  },
  {
    // The one module that writes the search outbox.
    files: ["app/models/search-outbox.server.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

import path from "node:path";

import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve("app") };
const services = {
  globalSetup: ["tests/setup/global-setup.ts"],
  setupFiles: ["tests/setup/setup-test-env.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  resolve: { alias },
  test: {
    globals: true,
    // Two cores here: more workers only make the PostgreSQL and Chromium processes fight.
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", globals: true, include: ["tests/unit/**/*.test.{ts,tsx}"] },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          globals: true,
          include: ["tests/integration/**/*.test.ts"],
          ...services,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          globals: true,
          include: ["tests/e2e/**/*.test.ts"],
          ...services,
          // A browser test on a busy 2-core machine can take a minute; a hang still fails.
          testTimeout: 120_000,
        },
      },
    ],
  },
});

import { defineConfig } from "vitest/config";

const allTests = ["services/*/src/**/*.test.ts", "infra/**/*.test.ts", "test/**/*.test.ts"];
// Suites that touch PostgreSQL are named *.db.test.ts: they run on PGlite always, and
// once more on a real server when DATABASE_URL names one.
const databaseTests = ["services/*/src/**/*.db.test.ts", "test/**/*.db.test.ts"];

export default defineConfig({
  test: {
    // One Kafka broker for the whole run (or the one named by KAFKA_BROKERS).
    globalSetup: ["test/setup/global.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: files run in parallel, no more than the machine can carry.
    maxWorkers: 2,
    projects: [
      { extends: true as const, test: { name: "pglite", include: allTests, env: { HDP_TEST_DB: "pglite" } } },
      ...(process.env.DATABASE_URL
        ? [
            {
              extends: true as const,
              test: { name: "postgres", include: databaseTests, env: { HDP_TEST_DB: "postgres" } },
            },
          ]
        : []),
    ],
  },
});

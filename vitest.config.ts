import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Secrets for tests only: each run gets fresh ones, none is ever committed.
// The tests that drive Chromium (test/helpers/chromium.ts): every e2e test but the demo's and training's.
const BROWSER_TESTS = ["test/node/e2e-!(demo|train).test.ts"];

const testSecret = (name: string) => `${name}-${crypto.randomUUID()}${crypto.randomUUID()}`;

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest(({ inject }) => ({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                assets: { directory: "./test/worker/assets" },
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  JWT_SECRET: testSecret("user"),
                  ADMIN_JWT_SECRET: testSecret("admin"),
                  TRAINER_TOKEN: testSecret("trainer"),
                  FLEET_JWT_SECRET: testSecret("fleet"),
                  ADMIN_BOOTSTRAP_TOKEN: testSecret("bootstrap"),
                  CORS_ORIGINS: "https://allowed.example",
                  EXCHANGE_BASE_URL: inject("exchangeUrl"),
                },
              },
            })),
          ],
          resolve: { tsconfigPaths: true },
          test: {
            name: "worker",
            // workerd tests share 2 cores with the browser and trainer tests: a few take seconds under load.
            testTimeout: 30_000,
            include: ["test/worker/**/*.test.ts"],
            setupFiles: ["./test/worker/apply-migrations.ts"],
            globalSetup: ["./test/worker/global-setup.ts"],
          },
        },
        {
          resolve: { tsconfigPaths: true },
          test: {
            name: "node",
            environment: "node",
            include: ["test/node/**/*.test.ts"],
            exclude: BROWSER_TESTS,
            testTimeout: 60_000,
          },
        },
        {
          resolve: { tsconfigPaths: true },
          test: {
            // Their own project so that Chromium is fetched (or its absence said in one line) only when
            // a browser test runs, before any of them starts.
            name: "browser",
            environment: "node",
            include: BROWSER_TESTS,
            globalSetup: ["./test/helpers/chromium-setup.ts"],
            testTimeout: 60_000,
          },
        },
      ],
    },
  };
});

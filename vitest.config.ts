import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Secrets for tests only: each run gets fresh ones, none is ever committed.
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
                  PUBLIC_ORIGIN: "https://app.example",
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
            testTimeout: 60_000,
          },
        },
      ],
    },
  };
});

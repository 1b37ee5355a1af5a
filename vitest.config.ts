import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Secrets for tests only: each run gets fresh ones, none is ever committed.
// The tests that drive Chromium (test/helpers/chromium.ts): every e2e test but the demo's and training's.
const BROWSER_TESTS = ["test/node/e2e-!(demo|train).test.ts"];

const testSecret = (name: string) => `${name}-${crypto.randomUUID()}${crypto.randomUUID()}`;

/** A fresh VAPID key pair (RFC 8292) per run, base64url: the raw public point and the private scalar. */
async function vapidKeys() {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  return { VAPID_PUBLIC_KEY: Buffer.from(raw).toString("base64url"), VAPID_PRIVATE_KEY: jwk.d as string };
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const vapid = await vapidKeys();
  return {
    test: {
      // Two files at a time even on 2 cores (Vitest's default there is one): most of the long files
      // wait on a child process (wrangler dev, Chromium, the demo, Docker), so a second file overlaps them.
      maxWorkers: 2,
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
                  ...vapid,
                  // The local push service (test/helpers/push-service.ts) listens on http://127.0.0.1.
                  PUSH_ALLOW_LOOPBACK: "true",
                  // The pool plays Cloudflare's edge: each test request carries the CF-Connecting-IP the
                  // platform would set (test/worker/helpers.ts), as production's wrangler.toml says.
                  TRUST_CF_CONNECTING_IP: "true",
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

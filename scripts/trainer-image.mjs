// `npm run trainer:image`: the trainer's container image. Bundles the trainer into trainer/dist (one
// file per entry with every runtime dependency inside, plus tfjs's .wasm binaries: nothing is fetched
// or installed when the container starts), makes sure the base image exists (Debian bookworm, tini and
// the project's own Node 22 from node_modules), then builds trainer/Dockerfile on it. Where Docker Hub
// cannot be reached (this machine has no container registry), the base is built offline from Debian
// packages instead (scripts/lib/trainer-base.mjs) and the script says so.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { BASE_RECIPE, buildOfflineBase, nodeVersion } from "./lib/trainer-base.mjs";

const root = path.resolve(import.meta.dirname, "..");
export const TRAINER_IMAGE = process.env.TRAINER_IMAGE ?? "moneymoney-trainer:latest";
// trainer/Dockerfile names this tag; the label says which Node it carries.
export const BASE_IMAGE = "moneymoney-trainer-base:bookworm";
const docker = process.env.WRANGLER_DOCKER_BIN ?? "docker";

const run = (args, opts = {}) =>
  spawnSync(docker, args, { cwd: root, encoding: "utf8", stdio: opts.quiet ? "pipe" : "inherit", ...opts });

/** The trainer and its fit thread as two self-contained ES modules, and the tfjs WASM binaries. */
export async function bundleTrainer() {
  const out = path.join(root, "trainer/dist");
  rmSync(out, { recursive: true, force: true });
  await build({
    // The CLI, and the fit thread it starts beside itself (trainer/fit-pool.ts).
    entryPoints: {
      trainer: path.join(root, "trainer/cli.ts"),
      "fit-worker": path.join(root, "trainer/fit-worker.ts"),
    },
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    // The two entries share tfjs and the models: one chunk of it, not two copies.
    splitting: true,
    chunkNames: "shared-[hash]",
    platform: "node",
    format: "esm",
    target: "node22",
    minifySyntax: true,
    minifyIdentifiers: true,
    legalComments: "none",
    logLevel: "warning",
    // tfjs is CommonJS and requires Node built-ins: give the ES module a require of its own.
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
  });
  const wasm = path.join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
  mkdirSync(path.join(out, "wasm"));
  // Single-threaded builds only: the trainer runs XNNPACK on one thread (trainer/backend.ts).
  for (const f of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"])
    copyFileSync(path.join(wasm, f), path.join(out, "wasm", f));
  return out;
}

function baseNode() {
  const res = run(
    ["image", "inspect", "--format", '{{index .Config.Labels "org.moneymoney.node"}}', BASE_IMAGE],
    {
      quiet: true,
    },
  );
  return res.status === 0 ? res.stdout.trim() : null;
}

/** The base image with this checkout's Node; built from debian:bookworm-slim, or offline. */
export function ensureBase() {
  const node = `${nodeVersion(root)}+r${BASE_RECIPE}`;
  if (baseNode() === node) return { built: false, offline: null };
  const online = run(
    [
      "build",
      "-f",
      "trainer/base.Dockerfile",
      "--label",
      `org.moneymoney.node=${node}`,
      "-t",
      BASE_IMAGE,
      ".",
    ],
    { quiet: true },
  );
  if (online.status === 0) return { built: true, offline: null };
  const why = (online.stderr || online.stdout).trim().split("\n").at(-1);
  console.log(`trainer:image: debian:bookworm-slim cannot be pulled (${why})`);
  console.log("trainer:image: building an equivalent base offline from Debian packages and node_modules");
  const contents = buildOfflineBase({ root, docker, tag: BASE_IMAGE, node });
  return { built: true, offline: contents };
}

export function imageBytes(tag = TRAINER_IMAGE) {
  const res = run(["image", "inspect", "--format", "{{.Size}}", tag], { quiet: true });
  return res.status === 0 ? Number(res.stdout.trim()) : null;
}

async function main() {
  const started = Date.now();
  await bundleTrainer();
  const base = ensureBase();
  if (base.offline) console.log(`trainer:image: offline base ${BASE_IMAGE}: ${base.offline}`);
  const res = run(["build", "-f", "trainer/Dockerfile", "-t", TRAINER_IMAGE, "."], { quiet: true });
  if (res.status !== 0) {
    console.error(res.stdout, res.stderr);
    process.exit(res.status ?? 1);
  }
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  console.log(
    `trainer:image: ${TRAINER_IMAGE} (${pkg.name} trainer, Node ${nodeVersion(root)}) ${mb(imageBytes())}` +
      ` uncompressed, base ${mb(imageBytes(BASE_IMAGE))}, built in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

if (process.argv[1] === import.meta.filename) await main();

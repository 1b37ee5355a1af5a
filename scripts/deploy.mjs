// `npm run deploy`: check no demo setting would ship and the Worker keys clients by Cloudflare's
// CF-Connecting-IP, build the web app and the trainer's container image
// (its base image first: trainer/Dockerfile starts FROM it), apply D1 migrations remotely, deploy the
// Worker and the image (wrangler builds and pushes [[containers]] images with Docker).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { addressProblems, demoLeaks } from "./lib/deploy-guard.mjs";

const root = path.resolve(import.meta.dirname, "..");
const toml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
const leaks = demoLeaks(toml);
if (leaks.length) {
  console.error(`deploy: refusing to deploy demo settings:\n  ${leaks.join("\n  ")}`);
  process.exit(1);
}
const address = addressProblems(toml);
if (address.length) {
  console.error(`deploy: refusing a Worker that would not know its clients:\n  ${address.join("\n  ")}`);
  process.exit(1);
}
for (const [cmd, ...args] of [
  ["npm", "run", "build"],
  ["npm", "run", "trainer:image"],
  ["npx", "wrangler", "d1", "migrations", "apply", "DB", "--remote"],
  ["npx", "wrangler", "deploy"],
]) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

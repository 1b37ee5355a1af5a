// `npm run deploy`: build the web app, apply D1 migrations remotely, deploy the Worker.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
for (const [cmd, ...args] of [
  ["npm", "run", "build"],
  ["npx", "wrangler", "d1", "migrations", "apply", "DB", "--remote"],
  ["npx", "wrangler", "deploy"],
]) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

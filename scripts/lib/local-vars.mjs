// Vars every local run of the Worker sets over wrangler.toml's (`npm run dev`, the demo, the local stack
// of the tests, the benches): what differs between `wrangler dev` on this machine and Cloudflare's edge.

/**
 * `wrangler dev` passes a client's own CF-Connecting-IP through (miniflare fills the header from the
 * connection only when it is absent), so locally no header tells clients apart: they share one key
 * (worker/middleware/client-address.ts).
 */
export const LOCAL_VARS = { TRUST_CF_CONNECTING_IP: "false" };

/**
 * The environment for a `wrangler dev` this project starts and leaves running (the demo, the benches, the
 * tests' local stack). Wrangler's local trace explorer is off unless X_LOCAL_OBSERVABILITY says otherwise:
 * it stores every request's spans and logs in a SQLite file under the state folder and never prunes them
 * (~1 MB of disk a minute under the soak's 50 dashboards). `npm run dev` keeps wrangler's default, on.
 */
export function wranglerEnv(env = process.env) {
  return { ...env, X_LOCAL_OBSERVABILITY: env.X_LOCAL_OBSERVABILITY ?? "false" };
}

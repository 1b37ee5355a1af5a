// Vars every local run of the Worker sets over wrangler.toml's (`npm run dev`, the demo, the local stack
// of the tests, the benches): what differs between `wrangler dev` on this machine and Cloudflare's edge.

/**
 * `wrangler dev` passes a client's own CF-Connecting-IP through (miniflare fills the header from the
 * connection only when it is absent), so locally no header tells clients apart: they share one key
 * (worker/middleware/client-address.ts).
 */
export const LOCAL_VARS = { TRUST_CF_CONNECTING_IP: "false" };

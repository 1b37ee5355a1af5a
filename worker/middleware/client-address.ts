// The client's address: the key of every per-client limit (sign-in throttling, sign-ups, the heavy
// routes) and the address the audit log records. The one place that decides which header to believe.
//
// Cloudflare's edge sets CF-Connecting-IP on every request and overwrites any a client sends, so there
// it is the client's address; production says so with TRUST_CF_CONNECTING_IP = "true" (wrangler.toml,
// required by the deploy guard). `wrangler dev` cannot: miniflare sets the header from the connection
// only when the request has none, so a client's own value reaches the Worker unchanged and looks the
// same. Locally (TRUST_CF_CONNECTING_IP "false", set by every local launcher) no header is believed and
// every client is the one key UNKNOWN_CLIENT. X-Forwarded-For and the like are never read anywhere.

/** The key shared by every client whose address cannot be known. */
export const UNKNOWN_CLIENT = "unknown";

const PLATFORM_HEADER = "cf-connecting-ip";

/** Whether this Worker runs where the platform sets CF-Connecting-IP (not a client). */
export const platformSetsAddress = (env: { TRUST_CF_CONNECTING_IP?: string }) =>
  env.TRUST_CF_CONNECTING_IP?.trim() === "true";

export function clientAddress(c: {
  env: { TRUST_CF_CONNECTING_IP?: string };
  req: { header(name: string): string | undefined };
}): string {
  if (!platformSetsAddress(c.env)) return UNKNOWN_CLIENT;
  return c.req.header(PLATFORM_HEADER)?.trim() || UNKNOWN_CLIENT;
}

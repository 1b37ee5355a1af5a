// What `npm run deploy` refuses to ship: anything of the local demo, and a client address the Worker
// would not take from Cloudflare's header. The demo keeps its state, accounts
// and env file in its own folder (.wrangler/demo) that wrangler never uploads, and the simulator lives in
// scripts/, which the Worker never imports; this checks the one file a deploy does read, wrangler.toml.

/** Problems in wrangler.toml's text that would carry demo settings into a deployment ([] = none). */
export function demoLeaks(wranglerToml) {
  const problems = [];
  const lines = wranglerToml.split("\n").filter((l) => !l.trim().startsWith("#"));
  for (const line of lines) {
    const [key, ...rest] = line.split("=");
    const name = key.trim().replace(/^"|"$/g, "");
    const value = rest.join("=").trim();
    if (name === "SIMULATED_SYMBOLS" && value.replace(/["']/g, "") !== "")
      problems.push("SIMULATED_SYMBOLS is set: only `npm run demo` sets it, in its own env file");
    if (name === "EXCHANGE_BASE_URL" && /localhost|127\.0\.0\.1|\[::1\]/.test(value))
      problems.push(`EXCHANGE_BASE_URL points at this machine (${value}): a local replay or simulator`);
    if (name === "PUSH_ALLOW_LOOPBACK" && value.replace(/["']/g, "") !== "")
      problems.push(
        "PUSH_ALLOW_LOOPBACK is set: it lets push endpoints be http on this machine (tests only)",
      );
  }
  return problems;
}

/**
 * Problems with how the deployed Worker would know a client's address ([] = none): on Cloudflare's edge
 * CF-Connecting-IP is the platform's, so wrangler.toml must say TRUST_CF_CONNECTING_IP = "true". Any
 * other value (the local "false") would make every client in the world one key of every per-client
 * limit: 5 sign-ups a minute for everyone, one client's guesses blocking all sign-ins.
 */
export function addressProblems(wranglerToml) {
  const line = wranglerToml
    .split("\n")
    .filter((l) => !l.trim().startsWith("#"))
    .find((l) => l.split("=")[0].trim().replace(/^"|"$/g, "") === "TRUST_CF_CONNECTING_IP");
  const value = line?.split("=").slice(1).join("=").trim().replace(/["']/g, "");
  if (value === "true") return [];
  return [
    `TRUST_CF_CONNECTING_IP is ${value === undefined ? "not set" : `"${value}"`}: a deployed Worker must key ` +
      'clients by the CF-Connecting-IP Cloudflare sets (TRUST_CF_CONNECTING_IP = "true" in [vars]); ' +
      '"false" is for wrangler dev only',
  ];
}

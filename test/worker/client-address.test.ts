// Issue 22.8: the client address is believed only where the platform sets it. On Cloudflare's edge
// (TRUST_CF_CONNECTING_IP "true", what wrangler.toml ships and this pool runs with) CF-Connecting-IP
// tells clients apart; with "false" (every local run: `wrangler dev` passes a client's own header
// through) no header is believed and every client is one key, so rotating the header gains nothing.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { clientAddress, UNKNOWN_CLIENT } from "../../worker/middleware/client-address";
import { uniqueEmail } from "./helpers";

const context = (trust: string | undefined, headers: Record<string, string>) => ({
  env: { TRUST_CF_CONNECTING_IP: trust },
  req: { header: (name: string) => new Headers(headers).get(name) ?? undefined },
});

describe("clientAddress", () => {
  it("believes CF-Connecting-IP only where the platform sets it, and never X-Forwarded-For", () => {
    const headers = { "cf-connecting-ip": " 203.0.113.7 ", "x-forwarded-for": "198.51.100.1" };
    expect(clientAddress(context("true", headers))).toBe("203.0.113.7");
    for (const trust of ["false", "", "TRUE", "1", undefined])
      expect(clientAddress(context(trust, headers))).toBe(UNKNOWN_CLIENT);
    expect(clientAddress(context("true", { "x-forwarded-for": "198.51.100.1" }))).toBe(UNKNOWN_CLIENT);
  });
});

/** A sign-up through the Worker's own fetch handler, with this Worker's vars but `trust`. */
async function signUp(trust: string, address: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("http://mm.test/api/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": address },
      body: JSON.stringify({ email: uniqueEmail(), password: "correct horse battery" }),
    }),
    { ...env, TRUST_CF_CONNECTING_IP: trust },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res.status;
}

describe("the sign-up limit (5 a minute per client address)", () => {
  it("on the edge, clients with their own addresses each have their own", async () => {
    const statuses = [];
    for (let i = 1; i <= 7; i++) statuses.push(await signUp("true", `198.18.22.${i}`));
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201]);
  });

  it("locally, a client rotating CF-Connecting-IP is refused past it", async () => {
    const statuses = [];
    for (let i = 1; i <= 7; i++) statuses.push(await signUp("false", `198.18.23.${i}`));
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
  });
});

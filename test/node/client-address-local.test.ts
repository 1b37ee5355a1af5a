// Issue 22.8 under the real `wrangler dev`: a client that writes its own CF-Connecting-IP is not
// believed locally (miniflare passes the header through), so rotating it does not get past the limit of
// 5 sign-ups a minute per client address. (Before: 10 sign-ups in a row with 10 made-up addresses.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, STACK_HOOK_MS, startLocalStack } from "../helpers/local-stack";
import { realKlineFile } from "../helpers/real-data";

let stack: LocalStack;

describe("the client address under wrangler dev", () => {
  beforeAll(async () => {
    stack = await startLocalStack({ files: [realKlineFile("BTCUSDT")], nowAt: "2024-03-10T23:59:00Z" });
  }, STACK_HOOK_MS);
  afterAll(async () => stack?.stop());

  it("refuses the 6th sign-up in a minute however CF-Connecting-IP is rotated", {
    timeout: 90_000,
  }, async () => {
    // The limiter's windows are whole wall-clock minutes (miniflare aligns them): a burst that straddles
    // one would meet two windows, so it starts early in a minute.
    const into = Date.now() % 60_000;
    if (into > 40_000) await new Promise((r) => setTimeout(r, 60_000 - into + 500));
    const statuses: number[] = [];
    for (let i = 1; i <= 8; i++) {
      const res = await fetch(`${stack.url}/api/auth/signup`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": `198.18.0.${i}` },
        body: JSON.stringify({ email: `rotating-${i}@example.com`, password: "rotating password 1" }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
  });
});

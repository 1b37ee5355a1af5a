// The demo's ready message (scripts/demo/ready.ts): prices written as the dashboard writes them, and what
// to try first.
import { describe, expect, it } from "vitest";
import { readyMessage } from "../../scripts/demo/ready";
import { SIM_EDGE_SYMBOL, SIM_SYMBOL } from "../../scripts/sim/params";

const facts = {
  elapsed: "10.2 s",
  host: "http://localhost:8811",
  instruments: [
    { symbol: SIM_SYMBOL, price: 79147, tick_size: 0.01 },
    { symbol: SIM_EDGE_SYMBOL, price: 1.08345, tick_size: 0.00001 },
  ],
  user: { email: "trader@demo.example", password: "pw-user" },
  admin: { email: "admin@demo.example", password: "pw-admin" },
  logs: ".demo",
};

describe("the demo's ready message", () => {
  it("writes each price at its market's tick, never a bare 79147", () => {
    const text = readyMessage(facts);
    expect(text).toContain(`${SIM_SYMBOL} at 79,147.00:`);
    expect(text).toContain(`${SIM_EDGE_SYMBOL} at 1.08345:`);
    expect(text).not.toMatch(/\b79147\b/);
  });

  it("says what to try first: sign in as the user, watch a candle arrive, open the console", () => {
    const tries = readyMessage(facts).split("Try first:")[1];
    expect(tries).toMatch(/1\. Sign in at http:\/\/localhost:8811\/dashboard as trader@demo\.example/);
    expect(tries).toMatch(/2\. Watch a candle arrive/);
    expect(tries).toMatch(/3\. Open the console at http:\/\/localhost:8811\/admin as admin@demo\.example/);
  });

  it("refuses to print a market the demo user cannot see", () => {
    expect(() => readyMessage({ ...facts, instruments: [] })).toThrow(/not visible to the demo user/);
  });
});

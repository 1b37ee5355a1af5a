// A profile whose collection keeps failing shows an error state in the admin's profile list: the last
// error and when it happened, recorded by the cron; one success clears it.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { collectAll } from "../../worker/cron";
import { api, bearer, bootstrapAdmin, expectJson, insertProfile } from "./helpers";

const exchange = inject("exchangeUrl");

describe.skipIf(!exchange)("collection error state", () => {
  it("marks a profile failing after three failed runs in a row, with the last error and its time", async () => {
    const admin = (await bootstrapAdmin()).token;
    const delisted = await insertProfile("GONEUSDT"); // written before symbol checks, or delisted since
    const fine = await insertProfile("SOLUSDT");
    await env.DB.prepare("update trading_profiles set exchange = 'kraken' where id = ?")
      .bind(await insertProfile("XRPUSD"))
      .run();
    const start = Math.floor(Date.now() / 60_000) * 60;
    const rows = async () =>
      Object.fromEntries(
        (await expectJson(api.admin.profiles.$get({}, bearer(admin)), 200)).map((p) => [
          p.symbol,
          p.collection,
        ]),
      );

    await collectAll(env, start);
    expect((await rows()).GONEUSDT).toMatchObject({ failing: false, failures: 1 });
    await collectAll(env, start + 60);
    await collectAll(env, start + 120);
    const after = await rows();
    expect(after.GONEUSDT).toEqual({
      failing: true,
      failures: 3,
      last_error: expect.stringMatching(/GONEUSDT/),
      last_error_at: new Date((start + 120) * 1000).toISOString(),
    });
    expect(after.XRPUSD).toMatchObject({
      failing: true,
      last_error: expect.stringMatching(/kraken is not bundled/),
    });
    expect(after.SOLUSDT).toEqual({ failing: false, failures: 0, last_error: null, last_error_at: null });

    // Fixed (here: the exchange lists it after all): the next successful run clears the error state.
    await env.DB.prepare("update trading_profiles set symbol = 'ETHUSDT' where id = ?").bind(delisted).run();
    await collectAll(env, start + 180);
    expect((await rows()).ETHUSDT).toMatchObject({ failing: false, failures: 0 });
    expect(fine).toBeGreaterThan(0);
  });
});

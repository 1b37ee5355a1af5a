// Probes of issue 12 items 4, 5 and 10: strict ids, a chunked oversize body that must not take the
// isolate down, and overlong URLs answered in the contract's error shape.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../worker/auth/tokens";
import { MAX_ARTIFACT_BYTES } from "../../worker/config";
import { bootstrapAdmin, call, insertProfile, signup } from "./helpers";

let admin: string;
beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
});

/**
 * A body sent chunked (no Content-Length): `total` bytes in 64 KiB pieces; records what was read.
 * Under `wrangler dev` the probe runs over real HTTP too (test/node/security-chunked-body.test.ts).
 */
function chunked(total: number) {
  const seen = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (seen.pulled >= total) return ctrl.close();
      const n = Math.min(65_536, total - seen.pulled);
      seen.pulled += n;
      ctrl.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
  return { stream, seen };
}

describe("strict ids (issue 12.4)", () => {
  it("answers 400 to ids that are not plain decimal integers and deletes nothing", async () => {
    const id = await insertProfile("IDSUSDT");
    expect(id).toBeGreaterThan(0);
    const probes = [
      "0x1",
      `0${id}`,
      `${id}e0`,
      `${id}.0`,
      `%20${id}`,
      `${id}%20`,
      "0b1",
      `+${id}`,
      `-${id}`,
      "0",
    ];
    for (const p of probes) {
      const res = await call("DELETE", `/api/admin/profiles/${p}`, { token: admin });
      expect(res.status, p).toBe(400);
      expect(res.error?.code, p).toBe("validation_error");
      expect((await call("GET", `/api/admin/jobs/${p}`, { token: admin })).status, p).toBe(400);
    }
    expect((await call("GET", `/api/admin/jobs?profile_id=0${id}`, { token: admin })).status).toBe(400);
    expect((await call("GET", `/api/admin/models?profile_id=${id}.0`, { token: admin })).status).toBe(400);
    const body = await call("POST", "/api/admin/train-models", {
      token: admin,
      body: { profile_ids: ["9"] },
    });
    expect(body.status).toBe(400);
    expect((await call("GET", `/api/admin/profiles/${id}/data-status`, { token: admin })).status).toBe(200);
  });
});

describe("chunked oversize bodies (issue 12.5)", () => {
  it("answers 413 to a chunked 2 MB POST and the next POSTs still work", async () => {
    for (let round = 0; round < 3; round++) {
      const { stream, seen } = chunked(2 * 1024 * 1024);
      const res = await exports.default.fetch(
        new Request("http://mm.test/api/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: stream,
        }),
      );
      // The upload was taken to its end (the excess dropped, not buffered) rather than left dangling.
      expect(seen.pulled).toBe(2 * 1024 * 1024);
      expect(res.status).toBe(413);
      expect(((await res.json()) as any).error.code).toBe("payload_too_large");
      const u = await signup();
      const next = await call("POST", "/api/auth/login", { body: { email: u.email, password: u.password } });
      expect(next.status).toBe(200);
    }
  });
});

describe("chunked oversize artifact uploads (issue 22.7)", () => {
  it.each([33, 60])("answers 413 to a chunked %i MB artifact", async (mb) => {
    expect(MAX_ARTIFACT_BYTES).toBeLessThan(33 * 2 ** 20);
    const token = await issueToken(env, "trainer", { sub: "big-upload", ver: 0 });
    const { stream } = chunked(mb * 2 ** 20);
    const res = await exports.default.fetch(
      new Request("http://mm.test/api/trainer/jobs/1/artifact?worker_id=big-upload", {
        method: "PUT",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/octet-stream",
          "x-artifact-sha256": "0".repeat(64),
        },
        body: stream,
      }),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe("payload_too_large");
  });
});

// Admission before work (worker/middleware/admission.ts): a request asks the limiter only where it is
// about to work and waits for the verdict there; one that never does is counted after its answer, in
// the background; a refusal is remembered for the limiter's period.
import { describe, expect, it } from "vitest";
import { admitBeforeWork, refusedHere, rememberRefusal, untilAdmitted } from "../../worker/admission";
import { RATE_LIMIT_PERIOD_SECONDS } from "../../worker/config";

const refused = () => Promise.reject(new Error("429"));

describe("admission before work", () => {
  it("answers a request that does no work first, then counts it in the background", async () => {
    const steps: string[] = [];
    const background: Promise<unknown>[] = [];
    const ask = () => {
      steps.push("asked");
      return new Promise<void>(() => {}); // a limiter that never answers
    };
    await admitBeforeWork(
      ask,
      async () => {
        steps.push("answered");
      },
      (w) => background.push(w),
    );
    expect(steps).toEqual(["answered", "asked"]);
    expect(background).toHaveLength(1);
    // A refusal left to the background rejects nothing.
    await admitBeforeWork(
      refused,
      async () => {},
      (w) => background.push(w),
    );
    await expect(background[1]).resolves.toBeUndefined();
  });

  it("holds work until the verdict, asks once, and fails the work with the refusal", async () => {
    let admit = () => {};
    let asks = 0;
    const ask = () => {
      asks++;
      return new Promise<void>((r) => {
        admit = r;
      });
    };
    const steps: string[] = [];
    const background: Promise<unknown>[] = [];
    const running = admitBeforeWork(
      ask,
      async () => {
        steps.push("memory");
        await Promise.all([untilAdmitted(), untilAdmitted()]);
        steps.push("work");
        expect(untilAdmitted()).toBeUndefined(); // admitted: nothing more to wait for
      },
      (w) => background.push(w),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toEqual(["memory"]);
    admit();
    await running;
    expect(steps).toEqual(["memory", "work"]);
    expect(asks).toBe(1);
    expect(background).toHaveLength(0); // asked while working: nothing left to count
    await expect(
      admitBeforeWork(
        refused,
        async () => {
          await untilAdmitted();
          steps.push("refused work");
        },
        () => {},
      ),
    ).rejects.toThrow("429");
    expect(steps).not.toContain("refused work");
  });

  it("asks nothing outside an admitted request", () => {
    expect(untilAdmitted()).toBeUndefined();
  });

  it("remembers a refusal for the limiter's period, per key", () => {
    const t = 1_000_000;
    rememberRefusal("heavy:user:7", t);
    expect(refusedHere("heavy:user:7", t + 1)).toBe(true);
    expect(refusedHere("heavy:user:8", t + 1)).toBe(false);
    expect(refusedHere("heavy:user:7", t + RATE_LIMIT_PERIOD_SECONDS * 1000 - 1)).toBe(true);
    expect(refusedHere("heavy:user:7", t + RATE_LIMIT_PERIOD_SECONDS * 1000)).toBe(false);
  });
});

// What GET /api/health answers: the database, storage, and whether collection keeps up.
import { z } from "@hono/zod-openapi";

export const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    db: z.enum(["ok", "error"]),
    storage: z.enum(["ok", "error"]),
    collection: z.object({
      last_run: z.string().nullable(),
      /** Active symbols without a new candle for STALE_AFTER_SECONDS. */
      stale: z.array(z.string()),
      /** Active symbols whose latest collection run failed. */
      failing: z.array(z.string()),
      /** Exchanges whose every active symbol failed its latest run: down, from the first failed tick. */
      unreachable_exchanges: z.array(z.string()),
    }),
  })
  .openapi("Health");

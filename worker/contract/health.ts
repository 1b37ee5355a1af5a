// What GET /api/health answers: the database, storage, and whether collection keeps up.
import { z } from "@hono/zod-openapi";

export const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    db: z.enum(["ok", "error"]),
    storage: z.enum(["ok", "error"]),
    collection: z.object({ last_run: z.string().nullable(), stale: z.array(z.string()) }),
  })
  .openapi("Health");

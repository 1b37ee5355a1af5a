// Live progress for admins: the WebSocket ticket and the events the ProgressHub broadcasts.
import { z } from "@hono/zod-openapi";

export const WsTicket = z.object({ ticket: z.string() });
export const WsQuery = z.object({ ticket: z.string().min(1).max(200) });

export const PROGRESS_TYPES = [
  "data_collection_progress",
  "model_training_progress",
  "status_update",
] as const;

export const ProgressEvent = z
  .object({
    type: z.enum(PROGRESS_TYPES),
    job_id: z.number().int().nullable(),
    profile_id: z.number().int().nullable(),
    symbol: z.string().nullable(),
    progress: z.number().nullable(),
    message: z.string(),
    time: z.string(),
  })
  .openapi("ProgressEvent");

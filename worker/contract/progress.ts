// Live progress for admins: the WebSocket ticket and the events the ProgressHub broadcasts.
import { z } from "@hono/zod-openapi";
import { JOB_STATUSES } from "../../core/jobs";

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
    // The job's status after this event, so a console can settle the row and refetch what the job
    // changed (a finished training: that profile's models; a finished backfill: that profile) at once.
    status: z.enum(JOB_STATUSES).nullable().optional().openapi({
      description: "The job's status after this event; absent or null when the event concerns no job",
    }),
  })
  .openapi("ProgressEvent");

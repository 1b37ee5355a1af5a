// The job queue as admins see it, and the two ways to fill it: backfills and training.
import { z } from "@hono/zod-openapi";
import { BACKFILL_DAYS, CONTAINER_STATES, JOB_KINDS, JOB_STATUSES } from "../../core/jobs";
import { MODEL_TYPES } from "../../core/models/model-types";
import { IdNumber, IdText } from "../schemas";

export const Job = z
  .object({
    id: z.number().int(),
    kind: z.enum(JOB_KINDS),
    status: z.enum(JOB_STATUSES),
    progress: z.number(),
    profile_id: z.number().int().nullable(),
    symbol: z.string().nullable(),
    model_type: z.string().nullable(),
    params: z.record(z.string(), z.unknown()).nullable(),
    message: z.string().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    created_at: z.date().or(z.string()),
    started_at: z.date().or(z.string()).nullable(),
    finished_at: z.date().or(z.string()).nullable(),
    updated_at: z.date().or(z.string()),
  })
  .openapi("Job");

export const JobsQuery = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  kind: z.enum(JOB_KINDS).optional(),
  profile_id: IdText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  // Paging for "show older": only jobs with a smaller id than this one (the list is newest first, so
  // the last id of a page asks for the next). Optional: without it the newest jobs come as before.
  before: IdText.optional().openapi({
    description: "Only jobs older than this job id (the last id of the previous page)",
  }),
});

export const QueuedJobs = z.object({ jobs: z.array(Job) });

export const CollectBody = z.object({
  symbols: z
    .array(z.string().trim().toUpperCase().min(1).max(20))
    .min(1, { message: "Name at least one symbol" })
    .max(100),
  interval: z
    .literal("1m", { message: 'Only "1m" candles are collected (coarser ones are built from them)' })
    .default("1m"),
  days: z
    .number()
    .int()
    .min(BACKFILL_DAYS.min)
    .max(BACKFILL_DAYS.max, { message: `days must be at most ${BACKFILL_DAYS.max}` }),
});

export const TrainBody = z.object({
  profile_ids: z.array(IdNumber).min(1, { message: "Name at least one profile" }).max(100),
  model_types: z
    .array(z.enum(MODEL_TYPES, { message: `Model types are ${MODEL_TYPES.join(", ")}` }))
    .min(1)
    .default([...MODEL_TYPES]),
});

/** A trainer heard from recently (GET /api/admin/trainers). */
export const Trainer = z
  .object({
    id: z.string(),
    /** Null for a container instance that has not called the Worker yet. */
    last_seen: z.string().nullable(),
    job_id: z.number().int().optional(),
    kind: z.enum(["external", "container"]),
    /** Container instances only: the fleet's view of the instance. */
    state: z.enum(CONTAINER_STATES).optional(),
    started_at: z.string().optional(),
    stopped_at: z.string().optional(),
    /** Why an instance stopped or failed (exit code, runtime error). */
    detail: z.string().optional(),
  })
  .openapi("Trainer");

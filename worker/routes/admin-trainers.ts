// Which trainers are connected: heard from in the last TRAINER_PRESENCE_SECONDS.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { TRAINER_PRESENCE_SECONDS } from "../config";
import { Trainer } from "../contract/jobs";
import { recentTrainers } from "../db/trainers";
import { requireAdmin } from "../middleware/auth";
import { errors, jsonContent } from "../schemas";

const list = createRoute({
  tags: ["admin"],
  security: [{ adminBearer: [] }],
  middleware: [requireAdmin()],
  method: "get",
  path: "/trainers",
  summary: `Trainers heard from in the last ${TRAINER_PRESENCE_SECONDS / 60} minutes, most recent first`,
  responses: { 200: jsonContent(z.array(Trainer), "Trainers"), 401: errors[401] },
});

export const adminTrainerRoutes = createRouter().openapi(list, async (c) => {
  const since = new Date(Date.now() - TRAINER_PRESENCE_SECONDS * 1000);
  return c.json(await recentTrainers(c.var.db, since), 200);
});

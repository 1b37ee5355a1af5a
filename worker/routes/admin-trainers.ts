// Which trainers are connected (heard from in the last TRAINER_PRESENCE_SECONDS) and the fleet's instances.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { TRAINER_PRESENCE_SECONDS } from "../config";
import { Trainer } from "../contract/jobs";
import { listTrainers } from "../fleet";
import { adminRoute } from "../middleware/declare-route";
import { errors, jsonContent } from "../schemas";

const list = createRoute({
  ...adminRoute(),
  method: "get",
  path: "/trainers",
  summary: `Trainers heard from in the last ${TRAINER_PRESENCE_SECONDS / 60} minutes, most recent first, and the fleet's container instances with their state`,
  responses: { 200: jsonContent(z.array(Trainer), "Trainers"), 401: errors[401] },
});

export const adminTrainerRoutes = createRouter().openapi(list, async (c) => {
  return c.json(await listTrainers(c.env, c.var.db, new Date()), 200);
});

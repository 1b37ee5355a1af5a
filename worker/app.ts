// Builds the Hono app: middleware, routes, the OpenAPI document, errors. Used by the Worker and tests.
import type { MiddlewareHandler } from "hono";
import { except } from "hono/combine";
import { type AppEnv, createRouter } from "./app-env";
import { getDb } from "./db/client";
import { errorBody, onError } from "./errors";
import {
  corsForConfiguredOrigins,
  limitBody,
  limitRequestLine,
  requireJsonBody,
  securityHeaders,
  takesRawBody,
} from "./middleware/security";
import { adminAuthRoutes } from "./routes/admin-auth";
import { adminCollectRoutes } from "./routes/admin-collect";
import { adminJobRoutes } from "./routes/admin-jobs";
import { adminLedgerRoutes } from "./routes/admin-ledger";
import { adminProfileRoutes } from "./routes/admin-profiles";
import { adminTrainRoutes } from "./routes/admin-train";
import { adminTrainerRoutes } from "./routes/admin-trainers";
import { adminWsRoutes } from "./routes/admin-ws";
import { alertRoutes } from "./routes/alerts";
import { authRoutes } from "./routes/auth";
import { docsRoutes } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { instrumentInsightRoutes } from "./routes/instrument-insights";
import { instrumentLedgerRoutes } from "./routes/instrument-ledger";
import { instrumentWsRoutes } from "./routes/instrument-ws";
import { instrumentRoutes } from "./routes/instruments";
import { notificationRoutes } from "./routes/notifications";
import { notificationWsRoutes } from "./routes/notifications-ws";
import { profileRoutes } from "./routes/profile";
import { pushRoutes } from "./routes/push";
import { trainerRoutes } from "./routes/trainer/trainer.index";
import { watchlistRoutes } from "./routes/watchlist";

const withDb: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("db", getDb(c.env.DB));
  await next();
};

export function createApp() {
  const app = createRouter();
  app.use("*", securityHeaders(), limitRequestLine());
  // Routes that take raw bytes (artifact uploads) declare their own limit with rawBody().
  app.use(
    "/api/*",
    corsForConfiguredOrigins(),
    except(takesRawBody, limitBody()),
    except(takesRawBody, requireJsonBody()),
    withDb,
  );

  // One chain, so that the app's type carries every route (AppType: the tests' typed client).
  const api = app
    .route("/api/auth", authRoutes)
    .route("/api/profile", profileRoutes)
    .route("/api/instruments", instrumentWsRoutes)
    .route("/api/instruments", instrumentRoutes)
    .route("/api/instruments", instrumentInsightRoutes)
    .route("/api/instruments", instrumentLedgerRoutes)
    .route("/api/alerts", alertRoutes)
    .route("/api/notifications", notificationWsRoutes)
    .route("/api/notifications", notificationRoutes)
    .route("/api/push", pushRoutes)
    .route("/api/watchlist", watchlistRoutes)
    .route("/api/admin/auth", adminAuthRoutes)
    .route("/api/admin/profiles", adminProfileRoutes)
    .route("/api/admin/profiles", adminLedgerRoutes)
    .route("/api/admin/jobs", adminJobRoutes)
    .route("/api/admin/ws", adminWsRoutes)
    .route("/api", adminCollectRoutes)
    .route("/api/admin", adminTrainRoutes)
    .route("/api/admin", adminTrainerRoutes)
    .route("/api/trainer", trainerRoutes)
    .route("/api", healthRoutes)
    .route("/api", docsRoutes);

  for (const audience of ["userBearer", "adminBearer", "trainerBearer"]) {
    app.openAPIRegistry.registerComponent("securitySchemes", audience, {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
  }
  app.openAPIRegistry.registerComponent("securitySchemes", "bootstrapToken", {
    type: "apiKey",
    in: "header",
    name: "X-Bootstrap-Token",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "MoneyMoney API",
      version: "1.0.0",
      description: "AI trading dashboard on Cloudflare Workers",
    },
  });

  app.all("/api/*", (c) => c.json(errorBody("not_found", "No such API route"), 404));
  // Everything else is a page or a static file; copy the response so security headers can be added.
  app.all("*", async (c) => {
    const res = await c.env.ASSETS.fetch(c.req.raw);
    return new Response(res.body, res);
  });
  app.onError(onError);
  return api;
}

/** The app's routes with their request and response types, for Hono's typed client (hc). */
export type AppType = ReturnType<typeof createApp>;

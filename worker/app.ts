import { Hono } from "hono";
export function createApp() {
  const app = new Hono<{ Bindings: Env }>();
  app.get("/api/health", async (c) => c.json({ status: "ok", db: (await c.env.DB.prepare("select 1 as x").first()) }));
  return app;
}

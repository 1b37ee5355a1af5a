// The signed-in user's alerts: create on an instrument the user may see (trained), list, change, delete.
// Each change tells the instrument's feed object to read its alerts again (alerts/alert-watch.ts).
import { ALERT_LIMITS } from "../../core/alerts/rules";
import { createRouter } from "../app-env";
import { Alert, AlertCreate, AlertList, AlertPatch, valueProblem } from "../contract/alerts";
import {
  deleteUserAlert,
  getUserAlert,
  insertAlertCapped,
  listUserAlerts,
  publicAlert,
  updateUserAlert,
} from "../db/alerts";
import { trainedProfile } from "../db/profiles";
import { ApiError } from "../errors";
import { alertsChangedOn } from "../live/instrument-feed";
import { declare, userRoute } from "../middleware/declare-route";
import { IdParam, jsonBody, jsonContent } from "../schemas";

const base = userRoute("alerts");
const notFound = () => new ApiError(404, "alert_not_found", "No alert with this id");

const list = declare(base, "get", "/", [401], {
  summary: "The user's alerts, oldest first, and how many one may keep",
  responses: { 200: jsonContent(AlertList, "Alerts") },
});

const create = declare(base, "post", "/", [400, 401, 404, 409], {
  summary: "A new alert on a trained instrument (edge-triggered: fires once per crossing)",
  request: { body: jsonBody(AlertCreate) },
  responses: { 201: jsonContent(Alert, "Created") },
});

const patch = declare(base, "patch", "/{id}", [400, 401, 404], {
  summary: "Change an alert's value (it starts over) or switch it on or off",
  request: { params: IdParam, body: jsonBody(AlertPatch) },
  responses: { 200: jsonContent(Alert, "Changed") },
});

const remove = declare(base, "delete", "/{id}", [401, 404], {
  summary: "Delete an alert (the notifications it fired stay)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" } },
});

export const alertRoutes = createRouter()
  .openapi(list, async (c) => {
    const alerts = (await listUserAlerts(c.var.db, c.var.user.id)).map(publicAlert);
    return c.json({ alerts, limit: ALERT_LIMITS.perUser }, 200);
  })
  .openapi(create, async (c) => {
    const body = c.req.valid("json");
    const profile = await trainedProfile(c.var.db, body.symbol);
    const value = body.value ?? null;
    const a = { userId: c.var.user.id, profileId: profile.id, kind: body.kind, value };
    const id = await insertAlertCapped(c.env.DB, a, ALERT_LIMITS.perUser);
    if (id === null)
      throw new ApiError(
        409,
        "alert_limit",
        `An account keeps at most ${ALERT_LIMITS.perUser} alerts: delete one first`,
      );
    await alertsChangedOn(c.env, [profile.symbol]);
    const created = await getUserAlert(c.var.db, c.var.user.id, id);
    if (!created) throw notFound(); // deleted meanwhile
    return c.json(publicAlert(created), 201);
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const current = await getUserAlert(c.var.db, c.var.user.id, id);
    if (!current) throw notFound();
    if (body.value !== undefined) {
      const problem = valueProblem(current.kind, body.value);
      if (problem) throw new ApiError(400, "validation_error", `value: ${problem}`);
    }
    if (!(await updateUserAlert(c.var.db, c.var.user.id, id, body))) throw notFound();
    await alertsChangedOn(c.env, [current.symbol]);
    const changed = await getUserAlert(c.var.db, c.var.user.id, id);
    if (!changed) throw notFound();
    return c.json(publicAlert(changed), 200);
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    const current = await getUserAlert(c.var.db, c.var.user.id, id);
    if (!current || !(await deleteUserAlert(c.var.db, c.var.user.id, id))) throw notFound();
    await alertsChangedOn(c.env, [current.symbol]);
    return c.body(null, 204);
  });

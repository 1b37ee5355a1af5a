// An instrument's forecast ledger as admins see it: the same track record users get, for any profile,
// with the signal's calibration beside it (its held-out Brier score and reliability table).
import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { AdminTrackRecord } from "../contract/ledger";
import { activeModels } from "../db/models";
import { getProfile } from "../db/profiles";
import { ApiError } from "../errors";
import { instrumentLedger } from "../ledger/instrument-ledger";
import { adminRoute } from "../middleware/declare-route";
import { storedCalibration } from "../models/calibration-store";
import { confidenceBasis } from "../models/signals";
import { errors, IdParam, jsonContent } from "../schemas";

const trackRecord = createRoute({
  ...adminRoute(),
  method: "get",
  path: "/{id}/track-record",
  summary: "The profile's live track record (as users see it) and its signal's confidence calibration",
  request: { params: IdParam },
  responses: {
    200: jsonContent(AdminTrackRecord, "Track record"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

export const adminLedgerRoutes = createRouter().openapi(trackRecord, async (c) => {
  const profile = await getProfile(c.var.db, Number(c.req.valid("param").id));
  if (!profile) throw new ApiError(404, "profile_not_found", "No profile with this id");
  const rows = await activeModels(c.var.db, profile.id);
  const [record, calibration] = await Promise.all([
    instrumentLedger(c.env, profile.symbol).trackRecord(profile.symbol),
    rows.length ? storedCalibration(c.env.BUCKET, c.var.db, profile, rows) : null,
  ]);
  return c.json({ ...record, calibration: confidenceBasis(calibration) }, 200);
});

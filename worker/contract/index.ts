// The API contract as types, inferred from the zod schemas the routes validate with and document:
// web/, trainer/ and bench/ import these, so a route whose answer changes shape breaks their typecheck.
// Answers are the JSON the client receives (dates as strings); bodies are what it may send.
import type { z } from "@hono/zod-openapi";
import type { JSONParsed } from "hono/utils/types";
import type * as schemas from "../schemas";
import type * as accounts from "./accounts";
import type * as alerts from "./alerts";
import type * as candles from "./candles";
import type * as health from "./health";
import type * as insights from "./insights";
import type * as instruments from "./instruments";
import type * as jobs from "./jobs";
import type * as ledger from "./ledger";
import type * as live from "./live";
import type * as models from "./models";
import type * as profiles from "./profiles";
import type * as progress from "./progress";
import type * as trainer from "./trainer";
import type * as watchlist from "./watchlist";

type Answer<T extends z.ZodType> = JSONParsed<z.output<T>>;
type Body<T extends z.ZodType> = z.input<T>;

export type { Timeframe } from "../../core/candles/timeframes";
export type { JobKind, JobStatus } from "../../core/jobs";
export type { ModelType } from "../../core/models/model-types";

export type ApiErrorBody = Answer<typeof schemas.ErrorSchema>;
export type User = Answer<typeof schemas.User>;
export type Admin = Answer<typeof schemas.Admin>;

export type Credentials = Body<typeof accounts.Credentials>;
export type SignupBody = Body<typeof accounts.Signup>;
export type AuthAnswer = Answer<typeof accounts.UserSession>;
export type MeAnswer = Answer<typeof accounts.Me>;
export type AccountUpdateBody = Body<typeof accounts.AccountUpdate>;
export type AccountUpdated = Answer<typeof accounts.AccountUpdated>;
export type AccountDeleteBody = Body<typeof accounts.AccountDelete>;
export type AdminRegisterBody = Body<typeof accounts.AdminRegister>;
export type AdminAnswer = Answer<typeof accounts.AdminAnswer>;
export type AdminLoginAnswer = Answer<typeof accounts.AdminSession>;

export type Health = Answer<typeof health.Health>;

export type Instrument = Answer<typeof instruments.Instrument>;
export type Candle = Answer<typeof candles.CandleSchema>;
export type CandlesAnswer = Answer<typeof candles.CandlesAnswer>;
export type ForecastPoint = Answer<typeof insights.ForecastPoint>;
export type PredictionsAnswer = Answer<typeof insights.Predictions>;
export type ModelForecast = PredictionsAnswer["models"][number];
export type SignalAnswer = Answer<typeof insights.Signal>;
export type SignalKind = SignalAnswer["signal"];
export type StatsAnswer = Answer<typeof insights.Stats>;
export type BacktestAnswer = Answer<typeof insights.Backtest>;
export type SignalHistoryAnswer = Answer<typeof insights.SignalHistory>;
export type HistorySignal = SignalHistoryAnswer["signals"][number];

export type Profile = Answer<typeof profiles.Profile>;
export type ProfileType = Profile["profile_type"];
export type ProfileCreateBody = Body<typeof profiles.ProfileCreate>;
export type ProfilePatchBody = Body<typeof profiles.ProfilePatch>;
export type DataStatus = Answer<typeof profiles.DataStatus>;

export type Job = Answer<typeof jobs.Job>;
export type QueuedJobs = Answer<typeof jobs.QueuedJobs>;
export type CollectBody = Body<typeof jobs.CollectBody>;
export type TrainBody = Body<typeof jobs.TrainBody>;
export type Trainer = Answer<typeof jobs.Trainer>;

export type ModelRecord = Answer<typeof models.Model>;
export type ModelMetrics = Answer<typeof models.ModelMetrics>;
export type ModelFold = Answer<typeof models.ModelFold>;
export type TrainedOn = Answer<typeof models.TrainedOn>;

export type WsTicket = Answer<typeof progress.WsTicket>;
export type ProgressEvent = Answer<typeof progress.ProgressEvent>;
export type ProgressType = ProgressEvent["type"];

export type LiveTicket = Answer<typeof live.LiveTicket>;
export type LiveEvent = Answer<typeof live.LiveEvent>;
export type LiveCandleEvent = Answer<typeof live.LiveCandleEvent>;
export type UserEvent = Answer<typeof live.UserEvent>;

export type ClaimBody = Body<typeof trainer.ClaimBody>;
export type Claimed = Answer<typeof trainer.Claimed>;
export type ProgressBody = Body<typeof trainer.ProgressBody>;
export type ProgressAnswer = Answer<typeof trainer.ProgressAnswer>;
export type TrainerCandlesQuery = Body<typeof trainer.TrainerCandlesQuery>;
export type Uploaded = Answer<typeof trainer.Uploaded>;
export type CompleteBody = Body<typeof trainer.CompleteBody>;
export type Completed = Answer<typeof trainer.Completed>;
export type FailBody = Body<typeof trainer.FailBody>;

export type TrackRecordAnswer = Answer<typeof ledger.TrackRecord>;
export type AdminTrackRecordAnswer = Answer<typeof ledger.AdminTrackRecord>;
export type LedgerAnswer = Answer<typeof ledger.Ledger>;
export type LedgerEntryAnswer = Answer<typeof ledger.LedgerEntry>;
export type ReleaseBody = Body<typeof trainer.ReleaseBody>;
export type RenewedToken = Answer<typeof trainer.RenewedToken>;

export type AlertAnswer = Answer<typeof alerts.Alert>;
export type AlertListAnswer = Answer<typeof alerts.AlertList>;
export type AlertCreateBody = Body<typeof alerts.AlertCreate>;
export type AlertPatchBody = Body<typeof alerts.AlertPatch>;
export type AlertKind = AlertAnswer["kind"];
export type NotificationAnswer = Answer<typeof alerts.Notification>;
export type NotificationListAnswer = Answer<typeof alerts.NotificationList>;
export type MarkReadBody = Body<typeof alerts.MarkRead>;
export type MarkedReadAnswer = Answer<typeof alerts.MarkedRead>;
export type PushKeyAnswer = Answer<typeof alerts.PushKey>;
export type PushSubscriptionBody = Body<typeof alerts.PushSubscriptionBody>;
export type WatchlistAnswer = Answer<typeof watchlist.Watchlist>;
export type WatchlistRow = Answer<typeof watchlist.WatchlistRow>;
export type StarAnswer = Answer<typeof watchlist.StarAnswer>;

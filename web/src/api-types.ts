// Shapes of the JSON API, as /work/shared/DESIGN.md "API contract" defines them.

export const TIMEFRAMES = ["1m", "5m", "15m", "1h", "4h", "1D", "1W", "1M"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const MODEL_TYPES = ["arima", "garch", "gru_attention", "cnn_pattern"] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export interface User {
  id: number;
  email: string;
}

export interface AuthAnswer {
  token: string;
  user: User;
}

export interface Instrument {
  symbol: string;
  name: string;
  category: string;
  exchange: string;
  price: number;
  change_percent: number;
  last_updated: string | number | null;
}

export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface CandlesAnswer {
  symbol: string;
  timeframe: Timeframe;
  candles: Candle[];
}

export interface ForecastPoint {
  time: number;
  value: number;
  lower: number;
  upper: number;
}

export interface ModelMetrics {
  timeframe?: string;
  horizon?: number;
  test_from?: number;
  test_to?: number;
  n?: number;
  mae?: number;
  naive_mae?: number;
  skill?: number;
  directional_accuracy?: number;
  qlike?: number;
  naive_qlike?: number;
}

export interface ModelForecast {
  model_type: string;
  version: number;
  trained_at: string | number | null;
  forecast: ForecastPoint[];
  metrics: ModelMetrics | null;
}

export interface PredictionsAnswer {
  symbol: string;
  generated_at: string | number;
  models: ModelForecast[];
}

export type SignalKind = "buy" | "sell" | "hold";

export interface SignalAnswer {
  symbol: string;
  signal: SignalKind;
  confidence: number;
  reasons: string[];
  generated_at: string | number;
}

export interface StatsAnswer {
  symbol: string;
  as_of: string | number;
  price: number;
  change_24h: number;
  returns: { "1d": number | null; "7d": number | null; "30d": number | null };
  volatility_annualized: number | null;
  sharpe_annualized: number | null;
  max_drawdown: number | null;
}

export interface BacktestAnswer {
  symbol: string;
  from: number | string;
  to: number | string;
  // The contract names it without a shape: a count, or the list of trades.
  trades: number | unknown[];
  win_rate: number | null;
  total_return: number;
  buy_and_hold_return: number;
  sharpe_annualized: number | null;
  max_drawdown: number | null;
  fees_bps: number;
  equity: { time: number; value: number }[];
}

export interface Admin {
  id: number;
  email: string;
  name: string;
}

export interface AdminLoginAnswer {
  access_token: string;
  token_type: "bearer";
  admin: Admin;
}

export interface Profile {
  id: number;
  symbol: string;
  name: string;
  profile_type: string;
  exchange: string;
  has_data: boolean;
  models_trained: boolean;
  last_data_update: string | number | null;
  created_at: string | number;
  updated_at: string | number;
  collection?: CollectionState;
}

/** The cron's collection outcome for a profile: failing after several failed runs in a row. */
export interface CollectionState {
  failing: boolean;
  failures: number;
  last_error: string | null;
  last_error_at: string | null;
}

export interface ProfileInput {
  symbol?: string;
  name?: string;
  profile_type?: string;
  exchange?: string;
}

export interface DataStatus {
  profile_id: number;
  symbol: string;
  candles: number;
  first_time: number | null;
  last_time: number | null;
  gaps: { from: number; to: number; minutes: number }[];
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface Job {
  id: number;
  kind: string;
  status: JobStatus;
  progress: number;
  profile_id: number | null;
  model_type?: string | null;
  message?: string | null;
  error?: string | null;
  symbol?: string;
  attempts?: number;
  created_at?: string | number;
  updated_at?: string | number;
}

export interface ModelRecord {
  id: number;
  profile_id: number;
  symbol: string;
  model_type: string;
  version: number;
  status: string;
  active: boolean;
  trained_at: string | number | null;
  trained_on: { timeframe: string; from: number; to: number } | null;
  parameters: Record<string, unknown> | null;
  metrics: ModelMetrics | null;
}

export type ProgressEventType = "data_collection_progress" | "model_training_progress" | "status_update";

export interface ProgressEvent {
  type: ProgressEventType | string;
  job_id: number | null;
  profile_id: number | null;
  symbol: string | null;
  progress: number | null;
  message: string | null;
  time: string | number;
}

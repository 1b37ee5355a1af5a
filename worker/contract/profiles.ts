// Trading profiles (the instruments admins collect and train) and what is stored for them.
import { z } from "@hono/zod-openapi";
import { isKnownCcxtExchange } from "../../core/ccxt-exchanges";
import { PROFILE_SYMBOL, PROFILE_TYPES } from "../../core/instruments";
import { DisplayName } from "../schemas";
import { TickSize } from "./instruments";

export const SymbolField = z
  .string()
  .trim()
  .toUpperCase()
  .regex(PROFILE_SYMBOL, { message: "Use 2 to 20 letters or digits, e.g. BTCUSDT" })
  .openapi({ example: "BTCUSDT" });
export const ProfileType = z.enum(PROFILE_TYPES);
export const Exchange = z
  .string()
  .trim()
  .toLowerCase()
  .refine(isKnownCcxtExchange, { message: "Not an exchange id that ccxt knows (e.g. binance)" });

export const Profile = z
  .object({
    id: z.number().int(),
    symbol: z.string(),
    name: z.string(),
    profile_type: ProfileType,
    exchange: z.string(),
    is_active: z.boolean(),
    has_data: z.boolean(),
    models_trained: z.boolean(),
    last_data_update: z.date().or(z.string()).nullable(),
    tick_size: TickSize,
    created_at: z.date().or(z.string()),
    updated_at: z.date().or(z.string()),
    simulated: z
      .boolean()
      .openapi({ description: "true for the local exchange simulator's symbols (npm run demo)" }),
    collection: z
      .object({
        failing: z.boolean(),
        failures: z.number().int(),
        last_error: z.string().nullable(),
        last_error_at: z.string().nullable(),
      })
      .openapi({ description: "The cron's collection outcome: failing after several failed runs in a row" }),
  })
  .openapi("Profile");

export const ProfileCreate = z.object({
  symbol: SymbolField,
  name: DisplayName.optional(),
  profile_type: ProfileType.optional(),
  exchange: Exchange.optional(),
});

export const ProfilePatch = z.object({
  symbol: SymbolField.optional(),
  name: DisplayName.optional(),
  profile_type: ProfileType.optional(),
  exchange: Exchange.optional(),
  is_active: z.boolean().optional(),
});

export const DataStatus = z.object({
  profile_id: z.number().int(),
  symbol: z.string(),
  candles: z.number().int(),
  first_time: z.number().int().nullable(),
  last_time: z.number().int().nullable(),
  gaps: z.array(z.object({ from: z.number().int(), to: z.number().int(), minutes: z.number().int() })),
});

// Create or edit an instrument profile (symbol is fixed once created: candles are stored under it).
import { useState } from "preact/hooks";
import { adminApi } from "../api";
import { PROFILE_SYMBOL, PROFILE_TYPES, type Profile } from "../api-types";
import { loadProfiles } from "../state/admin";
import { useSubmit } from "./form-submit";
import { Alert, Field } from "./ui";

export function ProfileForm({ profile, onDone }: { profile?: Profile; onDone: () => void }) {
  const [symbol, setSymbol] = useState(profile?.symbol ?? "");
  const [name, setName] = useState(profile?.name ?? "");
  const [type, setType] = useState(profile?.profile_type ?? "crypto");
  const [exchange, setExchange] = useState(profile?.exchange ?? "binance");
  const { busy, outcome, submit } = useSubmit({
    check: () =>
      !profile && !PROFILE_SYMBOL.test(symbol.trim().toUpperCase())
        ? "Symbols are 2 to 20 capital letters or digits, as the exchange spells them (BTCUSDT)."
        : null,
    send: async () => {
      const body = {
        name: name.trim() || undefined,
        profile_type: type,
        exchange: exchange.trim() || undefined,
      };
      if (profile) await adminApi.updateProfile(profile.id, body);
      else await adminApi.createProfile({ symbol: symbol.trim().toUpperCase(), ...body });
      await loadProfiles();
      onDone();
    },
  });

  return (
    <form class="form profile-form" onSubmit={submit}>
      <div class="form__grid">
        <Field
          label="Symbol"
          value={symbol}
          onValue={(v) => setSymbol(v.toUpperCase())}
          placeholder="BTCUSDT"
          required
          disabled={Boolean(profile)}
          autoComplete="off"
          spellcheck={false}
        />
        <Field
          label="Name"
          value={name}
          onValue={setName}
          placeholder="Bitcoin / Tether"
          autoComplete="off"
        />
        <div class="field">
          <label for={`type-${profile?.id ?? "new"}`}>Type</label>
          <select
            id={`type-${profile?.id ?? "new"}`}
            value={type}
            onChange={(e) => setType(PROFILE_TYPES.find((t) => t === e.currentTarget.value) ?? type)}
          >
            {PROFILE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Exchange (ccxt id)"
          value={exchange}
          onValue={setExchange}
          placeholder="binance"
          autoComplete="off"
        />
      </div>
      {outcome && <Alert kind={outcome.kind}>{outcome.text}</Alert>}
      <div class="form__row">
        <button type="submit" class="btn btn--primary btn--sm" disabled={busy}>
          {busy ? "Saving…" : profile ? "Save changes" : "Add profile"}
        </button>
        <button type="button" class="btn btn--ghost btn--sm" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

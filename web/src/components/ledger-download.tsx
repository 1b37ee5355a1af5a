// The ledger's entries as a CSV file: fetched with the user's token (a plain link would carry none),
// then saved through a link to the bytes in memory, which stays on screen to save them again. Keyed by
// the symbol where it is used, so another instrument starts without the last one's file.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { messageOf } from "../transport";

/** How much of the ledger one download holds: the last week of origin hours. */
export const LEDGER_CSV_DAYS = 7;

export function LedgerDownload({ symbol }: { symbol: string }) {
  const [state, setState] = useState<{
    busy: boolean;
    error: string | null;
    file: { url: string; name: string } | null;
  }>({
    busy: false,
    error: null,
    file: null,
  });
  useEffect(() => {
    const url = state.file?.url;
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [state.file]);
  const fetchCsv = async () => {
    const to = Math.floor(Date.now() / 1000);
    const from = to - LEDGER_CSV_DAYS * 86_400;
    setState({ busy: true, error: null, file: null });
    try {
      const blob = await api.ledgerCsv(symbol, from, to);
      const file = { url: URL.createObjectURL(blob), name: `${symbol}-ledger-${from}-${to}.csv` };
      setState({ busy: false, error: null, file });
      // Saved at once; the link stays for another copy.
      const link = document.createElement("a");
      link.href = file.url;
      link.download = file.name;
      link.click();
    } catch (e) {
      setState({ busy: false, error: messageOf(e), file: null });
    }
  };
  return (
    <div class="ledger-download">
      <button type="button" class="btn btn--ghost btn--xs" disabled={state.busy} onClick={fetchCsv}>
        {state.busy ? "Preparing…" : `CSV, last ${LEDGER_CSV_DAYS} days`}
      </button>
      {state.file && (
        <a class="ledger-download__file" href={state.file.url} download={state.file.name}>
          {state.file.name}
        </a>
      )}
      {state.error && <span class="inline-error">{state.error}</span>}
    </div>
  );
}

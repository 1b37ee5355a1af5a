// A signal holding one remote value with its loading and error state; newer loads cancel older ones.
import { signal } from "@preact/signals";
import { ApiError, messageOf } from "../transport";

export interface ResourceState<T> {
  data: T | null;
  error: string | null;
  /** HTTP status of the last failure (404 = nothing there yet), 0 for network errors. */
  status: number | null;
  loading: boolean;
}

export function resource<T>() {
  const state = signal<ResourceState<T>>({ data: null, error: null, status: null, loading: false });
  let controller: AbortController | null = null;

  /** `keep` leaves the current data on screen while a refresh runs (no flicker on auto-refresh). */
  async function load(fetcher: (signal: AbortSignal) => Promise<T>, keep = false): Promise<void> {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    const previous = keep ? state.value.data : null;
    state.value = { data: previous, error: null, status: null, loading: true };
    try {
      const data = await fetcher(own.signal);
      if (!own.signal.aborted) state.value = { data, error: null, status: null, loading: false };
    } catch (e) {
      if (own.signal.aborted) return;
      const status = e instanceof ApiError ? e.status : null;
      state.value = { data: previous, error: messageOf(e), status, loading: false };
    }
  }

  function reset(): void {
    controller?.abort();
    controller = null;
    state.value = { data: null, error: null, status: null, loading: false };
  }

  return { state, load, reset };
}

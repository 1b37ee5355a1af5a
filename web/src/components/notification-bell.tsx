// The bell in the top bar: fired alerts with an unread count, the list on click, and the toasts of
// alerts that fire while the page is open. The list and the toasts are fixed to the viewport, so they
// are rendered into the body (the top bar's backdrop filter would otherwise be their containing block).
import { createPortal } from "preact/compat";
import { useEffect, useState } from "preact/hooks";
import { formatUtc } from "../lib/format";
import {
  dismissToast,
  markAllRead,
  notices,
  toasts,
  unread,
  watchNotifications,
} from "../state/notifications";
import { navigate } from "../state/router";
import "../styles/alerts.css";

const open = (symbol: string) => navigate(`/dashboard?symbol=${encodeURIComponent(symbol)}`);

export function NotificationBell() {
  const [shown, setShown] = useState(false);
  useEffect(() => watchNotifications(), []);
  const count = unread.value;
  return (
    <div class="bell">
      <button
        type="button"
        class="btn btn--ghost btn--sm bell__button"
        aria-label={count ? `Notifications: ${count} unread` : "Notifications"}
        aria-expanded={shown}
        onClick={() => setShown(!shown)}
      >
        <svg class="bell__icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
          />
        </svg>
        {count > 0 && (
          <span class="bell__count" data-testid="bell-count">
            {count > 99 ? "99+" : count}
          </span>
        )}
      </button>
      {shown &&
        createPortal(
          <div class="bell__panel card" role="dialog" aria-label="Notifications">
            <header class="bell__head">
              <strong>Alerts</strong>
              {count > 0 && (
                <button type="button" class="btn btn--ghost btn--sm" onClick={() => void markAllRead()}>
                  Mark all read
                </button>
              )}
            </header>
            {notices.value.length === 0 ? (
              <p class="muted">No alert has fired yet. Create one under the chart.</p>
            ) : (
              <ul class="bell__list">
                {notices.value.map((n) => (
                  <li key={n.id} class={n.read ? "" : "is-unread"}>
                    <button type="button" class="bell__item" onClick={() => open(n.symbol)}>
                      <span class="bell__title">{n.title}</span>
                      <span class="bell__body muted">{n.body}</span>
                      <span class="bell__time muted">{formatUtc(n.created_at)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>,
          document.body,
        )}
      {createPortal(
        <div class="toasts" aria-live="polite">
          {toasts.value.map((t) => (
            <div key={t.id} class="toast card" role="status" data-testid="toast">
              <button type="button" class="toast__body" onClick={() => open(t.symbol)}>
                <strong>{t.title}</strong>
                <span class="muted">{t.body}</span>
              </button>
              <button
                type="button"
                class="toast__close"
                aria-label="Dismiss"
                onClick={() => dismissToast(t.id)}
              >
                ×
              </button>
            </div>
          ))}
        </div>,
        document.body,
      )}
    </div>
  );
}

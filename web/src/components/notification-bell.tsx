// The bell in the top bar: fired alerts with an unread count, the list on click, and the toasts of
// alerts that fire while the page is open.
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
        <span aria-hidden="true">🔔</span>
        {count > 0 && (
          <span class="bell__count" data-testid="bell-count">
            {count > 99 ? "99+" : count}
          </span>
        )}
      </button>
      {shown && (
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
        </div>
      )}
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
      </div>
    </div>
  );
}

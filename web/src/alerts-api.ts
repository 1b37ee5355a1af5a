// The alerts, notifications and Web Push endpoints, typed by the contract (the rest of the API: api.ts).

import { request } from "./api";
import type {
  AlertAnswer,
  AlertCreateBody,
  AlertListAnswer,
  LiveTicket,
  MarkedReadAnswer,
  MarkReadBody,
  NotificationListAnswer,
  PushKeyAnswer,
  PushSubscriptionBody,
} from "./api-types";

export const alertsApi = {
  alerts: () => request<AlertListAnswer>("user", "/api/alerts"),
  createAlert: (body: AlertCreateBody) =>
    request<AlertAnswer>("user", "/api/alerts", { method: "POST", body }),
  deleteAlert: (id: number) => request<void>("user", `/api/alerts/${id}`, { method: "DELETE" }),
  notifications: (before?: number) =>
    request<NotificationListAnswer>("user", `/api/notifications${before ? `?before=${before}` : ""}`),
  channelTicket: () => request<LiveTicket>("user", "/api/notifications/ws/ticket", { method: "POST" }),
  markRead: (body: MarkReadBody) =>
    request<MarkedReadAnswer>("user", "/api/notifications/read", { method: "POST", body }),
  pushKey: () => request<PushKeyAnswer>("user", "/api/push/key"),
  subscribe: (body: PushSubscriptionBody) =>
    request<{ id: number }>("user", "/api/push/subscriptions", { method: "POST", body }),
  unsubscribe: (endpoint: string) =>
    request<void>("user", "/api/push/subscriptions", { method: "DELETE", body: { endpoint } }),
};

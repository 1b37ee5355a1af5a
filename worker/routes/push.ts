// Web Push for the signed-in user: the VAPID public key a browser subscribes with, and its subscriptions.
import { createRouter } from "../app-env";
import { PushKey, PushSubscribed, PushSubscriptionBody, PushUnsubscribe } from "../contract/alerts";
import { deleteUserSubscription, upsertSubscription } from "../db/push-subscriptions";
import { ApiError } from "../errors";
import { declare, userRoute } from "../middleware/declare-route";
import { isReceiverKey, pushEndpointProblem, vapidConfigured } from "../push/web-push";
import { jsonBody, jsonContent } from "../schemas";

const base = userRoute("alerts");
/** Browsers (subscriptions) one account may keep. */
export const PUSH_SUBSCRIPTIONS_PER_USER = 10;

const key = declare(base, "get", "/key", [401, 503], {
  summary: "The VAPID public key (base64url) for PushManager.subscribe's applicationServerKey",
  responses: { 200: jsonContent(PushKey, "The key") },
});

const subscribe = declare(base, "post", "/subscriptions", [400, 401, 409, 503], {
  summary: "Store this browser's push subscription (PushSubscription.toJSON())",
  request: { body: jsonBody(PushSubscriptionBody) },
  responses: { 201: jsonContent(PushSubscribed, "Stored") },
});

const unsubscribe = declare(base, "delete", "/subscriptions", [400, 401, 404], {
  summary: "Forget this browser's push subscription",
  request: { body: jsonBody(PushUnsubscribe) },
  responses: { 204: { description: "Forgotten" } },
});

const unavailable = () => new ApiError(503, "push_unavailable", "Web Push is not configured on this server");

export const pushRoutes = createRouter()
  .openapi(key, (c) => {
    if (!vapidConfigured(c.env)) throw unavailable();
    return c.json({ public_key: c.env.VAPID_PUBLIC_KEY }, 200);
  })
  .openapi(subscribe, async (c) => {
    if (!vapidConfigured(c.env)) throw unavailable();
    const { endpoint, keys } = c.req.valid("json");
    const problem = pushEndpointProblem(c.env, endpoint);
    if (problem) throw new ApiError(400, "invalid_endpoint", problem);
    if (!(await isReceiverKey(keys.p256dh)))
      throw new ApiError(400, "invalid_keys", "keys.p256dh is not a P-256 public key");
    const sub = { userId: c.var.user.id, endpoint, p256dh: keys.p256dh, auth: keys.auth };
    const id = await upsertSubscription(c.env.DB, sub, PUSH_SUBSCRIPTIONS_PER_USER);
    if (id === null)
      throw new ApiError(
        409,
        "subscription_limit",
        `An account keeps at most ${PUSH_SUBSCRIPTIONS_PER_USER} push subscriptions`,
      );
    return c.json({ id }, 201);
  })
  .openapi(unsubscribe, async (c) => {
    const { endpoint } = c.req.valid("json");
    if (!(await deleteUserSubscription(c.var.db, c.var.user.id, endpoint)))
      throw new ApiError(404, "subscription_not_found", "No such subscription for this account");
    return c.body(null, 204);
  });

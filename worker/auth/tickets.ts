// Single-use WebSocket tickets (browsers cannot send an Authorization header on a WebSocket), kept in
// a Durable Object's storage: the admin ProgressHub and the users' TicketBox both use these.
export const TICKET_TTL_MS = 60_000;
const PREFIX = "ticket:";

interface Entry {
  owner: number;
  expires: number;
}

/** A random ticket for account `owner`, valid once within TICKET_TTL_MS; an alarm sweeps it later. */
export async function issueTicket(storage: DurableObjectStorage, owner: number): Promise<string> {
  const ticket = crypto.randomUUID() + crypto.randomUUID().replaceAll("-", "");
  await storage.put(`${PREFIX}${ticket}`, { owner, expires: Date.now() + TICKET_TTL_MS } satisfies Entry);
  // Clean expired tickets later even if nobody ever uses them.
  if ((await storage.getAlarm()) === null) await storage.setAlarm(Date.now() + TICKET_TTL_MS);
  return ticket;
}

/** The account a ticket belongs to, consuming it; null when unknown, used or expired. */
export async function redeemTicket(storage: DurableObjectStorage, ticket: string): Promise<number | null> {
  const key = `${PREFIX}${ticket}`;
  const entry = await storage.get<Entry>(key);
  if (!entry) return null;
  await storage.delete(key);
  return entry.expires >= Date.now() ? entry.owner : null;
}

/** Deletes expired tickets (the object's alarm); keeps an alarm while any ticket is left. */
export async function sweepTickets(storage: DurableObjectStorage): Promise<void> {
  const now = Date.now();
  const tickets = await storage.list<Entry>({ prefix: PREFIX });
  const expired = [...tickets].filter(([, v]) => v.expires < now).map(([k]) => k);
  if (expired.length) await storage.delete(expired);
  if (tickets.size > expired.length) await storage.setAlarm(now + TICKET_TTL_MS);
}

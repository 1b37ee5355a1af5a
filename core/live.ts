// What the Worker and the dashboard agree on about a user's live channel besides its messages.

/** Open dashboards one user's channel holds; one more closes the oldest with CLOSE_SUPERSEDED. */
export const USER_CHANNEL_SOCKETS_MAX = 8;
/** The close code of a socket pushed out by a newer one of the same channel: the page does not reconnect. */
export const CLOSE_SUPERSEDED = 4008;
/** The close code of every socket of a deleted account's channel: nothing more will come; no reconnect. */
export const CLOSE_ACCOUNT_GONE = 4010;

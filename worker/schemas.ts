// Request and response schemas shared by validation and the OpenAPI document.
import { z } from "@hono/zod-openapi";
import { PASSWORD_RULE } from "../core/auth/password-rule";
import { EMAIL_MAX, MAX_BODY_BYTES, NAME_MAX, PASSWORD_MAX } from "./config";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX)
  .pipe(z.email({ message: "Enter a valid email address" }))
  .openapi({ example: "trader@example.com" });

// The rule itself (length, common passwords, the email) is checked by assertStrongPassword, which answers
// 400 weak_password; the schema only bounds the body.
export const NewPassword = z
  .string()
  .max(4 * PASSWORD_MAX, { message: `Use at most ${PASSWORD_MAX} characters` })
  .openapi({ description: `Passwords need ${PASSWORD_RULE}`, example: "correct horse battery staple" });

// Existing passwords are only length-capped: rules may have changed since they were set.
export const AnyPassword = z.string().min(1).max(PASSWORD_MAX);

export const DisplayName = z.string().trim().min(1).max(NAME_MAX);

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi("Error");

export const User = z
  .object({ id: z.number().int(), email: z.string(), created_at: z.string().or(z.date()) })
  .openapi("User");

export const Admin = z
  .object({ id: z.number().int(), email: z.string(), name: z.string(), created_at: z.string().or(z.date()) })
  .openapi("Admin");

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true as const,
  content: { "application/json": { schema } },
});

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** An error answer in the OpenAPI document: the one error shape, with what this status means here. */
export const errorDoc = (description: string) => jsonContent(ErrorSchema, description);
const err = errorDoc;

export const errors = {
  400: err("Invalid input"),
  401: err("Missing, invalid or expired token"),
  403: err("Not allowed"),
  404: err("Not found"),
  409: err("Conflict with the current state"),
  413: err(`JSON body larger than ${MAX_BODY_BYTES / 2 ** 20} MB`),
  415: err("Body is not JSON"),
  422: err("Understood but refused (see the error code)"),
  426: err("Not a WebSocket upgrade"),
  429: err("Too many requests; see Retry-After"),
  503: err("A service this needs (the exchange) cannot be reached; try again"),
};

/**
 * A database id as text (path or query): a decimal integer without sign, leading zeros, spaces,
 * exponent or fraction, so `0x1`, `09`, `9e0`, `9.0`, ` 9` and `0b1001` are 400s, never id 9.
 */
export const IdText = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, {
    message: "An id is a positive decimal integer without sign, leading zeros or spaces",
  })
  .transform(Number)
  .openapi({ type: "string", pattern: "^[1-9][0-9]{0,14}$", example: "1" });

/** A database id inside a JSON body: a positive integer number (strings are refused). */
export const IdNumber = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const IdParam = z.object({
  id: IdText.openapi({ param: { name: "id", in: "path" }, example: "1" }),
});

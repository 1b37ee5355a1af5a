// User and admin accounts: sign-up, log-in and account changes.
import { z } from "@hono/zod-openapi";
import { Admin, AnyPassword, DisplayName, Email, NewPassword, User } from "../schemas";

export const Credentials = z.object({ email: Email, password: AnyPassword });
export const Signup = z.object({ email: Email, password: NewPassword });
export const UserSession = z.object({ token: z.string(), user: User }).openapi("UserSession");
export const Me = z.object({ user: User });

export const AccountUpdate = z
  .object({ current_password: AnyPassword, email: Email.optional(), password: NewPassword.optional() })
  .refine((b) => b.email !== undefined || b.password !== undefined, {
    message: "Send a new email, a new password, or both",
  });
// A password change revokes older tokens, so the answer carries a fresh one.
export const AccountUpdated = z.object({ user: User, token: z.string() });
export const AccountDelete = z.object({ current_password: AnyPassword });

export const AdminRegister = z.object({ email: Email, password: NewPassword, name: DisplayName });
export const AdminAnswer = z.object({ admin: Admin });
export const AdminSession = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer"),
  admin: Admin,
});

// The password rule for new passwords (users and admins), shared by the Worker, which enforces it, and
// the web forms, which show it before anyone submits. The common-password list itself stays server-side.

/** OWASP ASVS 5.0 6.2.1/6.2.9: at least 8 characters, and at least 64 must be allowed. */
export const NEW_PASSWORD = { min: 8, max: 128 } as const;

/** The whole rule in one sentence, as forms show it and as every refusal repeats it. */
export const PASSWORD_RULE = `${NEW_PASSWORD.min} to ${NEW_PASSWORD.max} characters, not one of the most common passwords, and not your email address.`;

/**
 * What is wrong with a new password that can be judged without the common-password list, or null.
 * Length counts Unicode code points, as a person counts characters.
 */
export function passwordShapeProblem(password: string, email: string | undefined): string | null {
  const length = [...password].length;
  if (length < NEW_PASSWORD.min) return `Too short: use at least ${NEW_PASSWORD.min} characters.`;
  if (length > NEW_PASSWORD.max) return `Too long: use at most ${NEW_PASSWORD.max} characters.`;
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase())
    return "This is your email address: choose something else.";
  return null;
}

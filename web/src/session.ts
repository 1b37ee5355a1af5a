// Who is signed in: the user token and the admin token live apart, each in its own localStorage key.
import { computed, signal } from "@preact/signals";
import type { Admin, User } from "./api-types";

const USER_TOKEN_KEY = "mm.user.token";
const USER_KEY = "mm.user";
const ADMIN_TOKEN_KEY = "mm.admin.token";
const ADMIN_KEY = "mm.admin";

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, policy): the session lasts as long as the tab
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // see read(): nothing to persist to
  }
}

function readJson<T>(key: string): T | null {
  const text = read(key);
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export const userToken = signal<string | null>(read(USER_TOKEN_KEY));
export const currentUser = signal<User | null>(readJson<User>(USER_KEY));
export const adminToken = signal<string | null>(read(ADMIN_TOKEN_KEY));
export const currentAdmin = signal<Admin | null>(readJson<Admin>(ADMIN_KEY));
export const isSignedIn = computed(() => userToken.value !== null);

export function signInUser(token: string, user: User): void {
  userToken.value = token;
  currentUser.value = user;
  write(USER_TOKEN_KEY, token);
  write(USER_KEY, JSON.stringify(user));
}

export function setUser(user: User): void {
  currentUser.value = user;
  write(USER_KEY, JSON.stringify(user));
}

export function signOutUser(): void {
  userToken.value = null;
  currentUser.value = null;
  write(USER_TOKEN_KEY, null);
  write(USER_KEY, null);
}

export function signInAdmin(token: string, admin: Admin): void {
  adminSessionExpired.value = false;
  adminToken.value = token;
  currentAdmin.value = admin;
  write(ADMIN_TOKEN_KEY, token);
  write(ADMIN_KEY, JSON.stringify(admin));
}

/** True when the admin session ended by itself (expired or revoked token), not by signing out. */
export const adminSessionExpired = signal(false);

export function signOutAdmin(expired = false): void {
  adminSessionExpired.value = expired;
  adminToken.value = null;
  currentAdmin.value = null;
  write(ADMIN_TOKEN_KEY, null);
  write(ADMIN_KEY, null);
}

// Another tab signing in or out updates this one too.
window.addEventListener("storage", (event) => {
  if (event.key === USER_TOKEN_KEY) userToken.value = event.newValue;
  if (event.key === USER_KEY) currentUser.value = readJson<User>(USER_KEY);
  if (event.key === ADMIN_TOKEN_KEY) adminToken.value = event.newValue;
  if (event.key === ADMIN_KEY) currentAdmin.value = readJson<Admin>(ADMIN_KEY);
});

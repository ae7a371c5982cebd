import { tabStorage } from "./safe-storage";

/** The bearer token lives in sessionStorage: it is gone when the tab closes. */
export type Role = "viewer" | "analyst" | "admin";
const ROLES: Role[] = ["viewer", "analyst", "admin"];
const KEY = "pingyi.token";

export interface Session {
  token: string;
  role: Role;
  subject: string;
  /** Seconds since the epoch; null when the token has no `exp`. */
  expires: number | null;
}

/** Reads the claims the console needs; the gateway still verifies the signature on every call. */
export function decodeToken(token: string): Session | null {
  const part = token.trim().split(".")[1];
  if (!part) return null;
  try {
    const json = atob(
      part
        .replace(/-/g, "+")
        .replace(/_/g, "/")
        .padEnd(Math.ceil(part.length / 4) * 4, "="),
    );
    const claims = JSON.parse(json) as { role?: unknown; sub?: unknown; exp?: unknown };
    if (!ROLES.includes(claims.role as Role)) return null;
    return {
      token: token.trim(),
      role: claims.role as Role,
      subject: typeof claims.sub === "string" ? claims.sub : "",
      expires: typeof claims.exp === "number" ? claims.exp : null,
    };
  } catch {
    return null;
  }
}

/**
 * The token signed in with when the tab's storage refused it (safe-storage: Safari's private
 * mode, a full quota, site data disabled): this page's alone, so the session lasts until a
 * reload, not past it. Null while the storage keeps the token, which is then the one read: a
 * token forgotten there is gone.
 */
let unkept: string | null = null;

export function loadSession(): Session | null {
  const token = unkept ?? tabStorage.read(KEY);
  const session = token ? decodeToken(token) : null;
  if (session?.expires && session.expires * 1000 < Date.now()) return null;
  return session;
}

export function saveSession(session: Session | null): void {
  unkept = session && !tabStorage.write(KEY, session.token) ? session.token : null;
  // Not kept, the one before is not left to come back with a reload (a full quota still forgets).
  if (!session || unkept) tabStorage.forget(KEY);
}

export const atLeast = (role: Role | undefined, needed: Role): boolean =>
  role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(needed);

import { tabStorage } from "./safe-storage";

/**
 * What the console keeps in the tab's sessionStorage so that an expired session, which swaps the
 * page for the sign-in screen, does not cost a person what they were typing. Values are JSON. A
 * storage the browser refuses (safe-storage) costs the safety net, not what is on screen: nothing
 * is kept, nothing comes back, and forgetting is done already.
 */

/**
 * Keeps `value` under `key`; a full storage quota costs the safety net, not what is on screen.
 * Refused, what was kept there before is forgotten: older than what is on screen, it would come
 * back after an expiry as if it were what was typed. Returns whether `value` was kept.
 */
export function keep(key: string, value: unknown): boolean {
  if (tabStorage.write(key, JSON.stringify(value))) return true;
  tabStorage.forget(key);
  return false;
}

/**
 * What was kept under `key`, or undefined when nothing (readable) was; so is anything from a
 * storage that cannot be read (the browser refuses the page its site data).
 */
export function recall(key: string): unknown {
  const raw = tabStorage.read(key);
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

export function forget(key: string): void {
  tabStorage.forget(key);
}

/** The keys kept under `prefix`: what forgetAll forgets, and whether there is any. */
export function keptUnder(prefix: string): string[] {
  return tabStorage.keys().filter((key) => key.startsWith(prefix));
}

/** Forgets every key that starts with `prefix` (on signing out). */
export function forgetAll(prefix: string): void {
  for (const key of keptUnder(prefix)) tabStorage.forget(key);
}

/**
 * What the console keeps in the tab's sessionStorage so that an expired session, which swaps the
 * page for the sign-in screen, does not cost a person what they were typing. Values are JSON.
 */

/** Keeps `value` under `key`; a full storage quota costs the safety net, not what is on screen. */
export function keep(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Nothing to do: the edit on screen is still there.
  }
}

/**
 * What was kept under `key`, or undefined when nothing (readable) was; so is anything from a
 * storage that cannot be read (the browser refuses the page its site data).
 */
export function recall(key: string): unknown {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

export function forget(key: string): void {
  sessionStorage.removeItem(key);
}

/** The keys kept under `prefix`: what forgetAll forgets, and whether there is any. */
export function keptUnder(prefix: string): string[] {
  return Object.keys(sessionStorage).filter((key) => key.startsWith(prefix));
}

/** Forgets every key that starts with `prefix` (on signing out). */
export function forgetAll(prefix: string): void {
  for (const key of keptUnder(prefix)) sessionStorage.removeItem(key);
}

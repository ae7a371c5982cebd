/**
 * The browser's storage as the console uses it: a safety net, never what a page stands on. A
 * browser may refuse it (Safari's private mode, a quota exceeded, site data disabled): each call
 * then throws, or reaching `window.sessionStorage` itself does (a SecurityError). A refused
 * storage reads as holding nothing and keeps nothing; forgetting in it is done already.
 */
export interface SafeStorage {
  /** What is kept under `key`; null when nothing is, or the storage cannot be read. */
  read: (key: string) => string | null;
  /** Keeps `value` under `key`; false when the storage refused it. */
  write: (key: string, value: string) => boolean;
  forget: (key: string) => void;
  /** Every key kept; none when the storage cannot be read. */
  keys: () => string[];
}

/** `use` run on the storage `which` reaches, or `refused` when the browser refuses either. */
function tolerant<T>(which: () => Storage, use: (storage: Storage) => T, refused: T): T {
  try {
    return use(which());
  } catch {
    return refused;
  }
}

/** The storage `which` reaches (the global is read at each call: a test swaps it), refusals tolerated. */
export function safeStorage(which: () => Storage): SafeStorage {
  return {
    read: (key) => tolerant(which, (s) => s.getItem(key), null),
    write: (key, value) =>
      tolerant(
        which,
        (s) => {
          s.setItem(key, value);
          return true;
        },
        false,
      ),
    forget: (key) => tolerant(which, (s) => s.removeItem(key), undefined),
    keys: () => tolerant(which, (s) => Object.keys(s), []),
  };
}

/** The tab's sessionStorage: gone when the tab closes. */
export const tabStorage: SafeStorage = safeStorage(() => sessionStorage);

/** The browser's localStorage: the console's language, for every tab. */
export const browserStorage: SafeStorage = safeStorage(() => localStorage);

// Node has no sessionStorage: a Map-backed stand-in with the methods the console's stores use.
// Not part of the console.
class MemoryStorage {
  private items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
  keys = () => [...this.items.keys()];
}

/** Puts `storage` where the console finds it: `globalThis[name]`, read at each use. */
const install = (name: "sessionStorage" | "localStorage", storage: Storage) =>
  Object.defineProperty(globalThis, name, { value: storage, configurable: true, writable: true });

/** Installs a fresh, empty stand-in as `globalThis.sessionStorage` and returns it. */
export function memorySessionStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  // Object.keys(sessionStorage) lists the stored keys in a browser; the stand-in does likewise.
  install(
    "sessionStorage",
    new Proxy(storage, {
      ownKeys: () => storage.keys(),
      getOwnPropertyDescriptor: (_t, k) =>
        typeof k === "string" && storage.keys().includes(k)
          ? { enumerable: true, configurable: true, value: storage.getItem(k) }
          : undefined,
    }) as unknown as Storage,
  );
  return storage;
}

/**
 * How a browser refuses a page its storage: each call throws (Safari's private mode, a quota
 * exceeded), listing its keys too, or reaching the storage itself does (site data disabled: a
 * SecurityError from `window.sessionStorage`).
 */
export type Refusal = "calls" | "access";
export const REFUSALS: readonly Refusal[] = ["calls", "access"];

/** Installs as `globalThis[name]` (sessionStorage by default) a storage the browser refuses. */
export function refusedStorage(refusal: Refusal, name: "sessionStorage" | "localStorage" = "sessionStorage") {
  const refuse = () => {
    throw new DOMException("The operation is insecure.", "SecurityError");
  };
  if (refusal === "access") {
    Object.defineProperty(globalThis, name, { get: refuse, configurable: true });
    return;
  }
  const calls = { getItem: refuse, setItem: refuse, removeItem: refuse, key: refuse, clear: refuse };
  install(name, new Proxy(calls, { ownKeys: refuse }) as unknown as Storage);
}

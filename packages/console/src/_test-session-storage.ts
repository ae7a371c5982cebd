// Node has no sessionStorage: a Map-backed stand-in with the methods the console's stores use.
// Not part of the console.
class MemoryStorage {
  private items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
  keys = () => [...this.items.keys()];
}

/** Installs a fresh, empty stand-in as `globalThis.sessionStorage` and returns it. */
export function memorySessionStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  // Object.keys(sessionStorage) lists the stored keys in a browser; the stand-in does likewise.
  globalThis.sessionStorage = new Proxy(storage, {
    ownKeys: () => storage.keys(),
    getOwnPropertyDescriptor: (_t, k) =>
      typeof k === "string" && storage.keys().includes(k)
        ? { enumerable: true, configurable: true, value: storage.getItem(k) }
        : undefined,
  }) as unknown as Storage;
  return storage;
}

/** A tiny LRU of promises; a rejected promise is dropped so the next caller retries. */
export class Lru<V> {
  private readonly entries = new Map<string, Promise<V>>();
  hits = 0;
  misses = 0;

  constructor(private readonly size: number) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    this.misses++;
    const pending = load();
    this.entries.set(key, pending);
    pending.catch(() => this.entries.delete(key));
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }

  /** The entry under `key` if there is one, loading nothing. */
  peek(key: string): Promise<V> | undefined {
    return this.entries.get(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

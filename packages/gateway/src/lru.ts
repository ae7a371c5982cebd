/** A tiny LRU of promises; a rejected promise is dropped so the next caller retries. */
export class Lru<V> {
  private readonly entries = new Map<string, Promise<V>>();
  /** What each promise resolved to, once it has: `peek` gives only a finished load. */
  private readonly settled = new WeakMap<Promise<V>, V>();
  hits = 0;
  misses = 0;

  constructor(private readonly size: number) {}

  /**
   * The value under `key`, or what `load` gives, kept under it. On a miss `beforeLoad` runs
   * first, and what it throws is the answer, kept nowhere: a refusal meant for one caller (a
   * subject past its minute of analysis work) is never handed to the next caller of the key
   * before it is dropped, evicts nothing kept and counts as no miss.
   */
  get(key: string, load: () => Promise<V>, beforeLoad?: () => void): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    try {
      beforeLoad?.();
    } catch (refusal) {
      return Promise.reject(refusal);
    }
    this.misses++;
    const pending = load();
    this.entries.set(key, pending);
    pending.then(
      (value) => this.settled.set(pending, value),
      () => this.entries.delete(key),
    );
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }

  /**
   * The value under `key` if its load has finished; loads nothing and waits for nothing. A caller
   * inside a transaction must not wait for a load still running: on the embedded database that
   * load's own queries queue behind the transaction, and neither would ever end.
   */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    return entry === undefined ? undefined : this.settled.get(entry);
  }

  clear(): void {
    this.entries.clear();
  }
}

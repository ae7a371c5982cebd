/**
 * A fixed-window request counter per client, checked before a request body is read.
 * (@envelop/rate-limiter limits individual fields after parsing; a flood should cost less.)
 */
export class RateLimiter {
  private windowStart = Date.now();
  private counts = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the client may retry, or 0 when the request is allowed. */
  take(client: string, now = Date.now()): number {
    if (this.max === 0) return 0;
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.counts.clear();
    }
    const n = (this.counts.get(client) ?? 0) + 1;
    this.counts.set(client, n);
    return n > this.max ? Math.ceil((this.windowStart + this.windowMs - now) / 1000) : 0;
  }
}

import { GraphQLError } from "./graphql.js";

/**
 * How many subscriptions each client address and each token subject has open in this process.
 * A stream costs nothing to open (the rate limit counts the one request) but every event runs its
 * whole selection, so a few clients holding many streams made each write stall the gateway.
 */
export class OpenStreams {
  private readonly byClient = new Map<string, number>();
  private readonly bySubject = new Map<string, number>();

  constructor(private readonly limits: { perClient: number; perSubject: number }) {}

  /**
   * Counts one more stream for `client` and `subject` (null: anonymous, counted by address
   * only), or refuses with RATE_LIMITED, naming the setting. The returned function gives the
   * place back; calling it again does nothing.
   */
  open(client: string | null, subject: string | null): () => void {
    const { perClient, perSubject } = this.limits;
    if (subject !== null && perSubject > 0 && (this.bySubject.get(subject) ?? 0) >= perSubject)
      throw refusal(
        "this token's subject already has as many subscriptions open as the gateway allows one (PINGYI_MAX_STREAMS_PER_SUBJECT): close one (another tab or program) before opening another",
      );
    if (client !== null && perClient > 0 && (this.byClient.get(client) ?? 0) >= perClient)
      throw refusal(
        "this client address already has as many subscriptions open as the gateway allows one (PINGYI_MAX_STREAMS_PER_CLIENT): close one before opening another",
      );
    if (subject !== null) add(this.bySubject, subject, 1);
    if (client !== null) add(this.byClient, client, 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      if (subject !== null) add(this.bySubject, subject, -1);
      if (client !== null) add(this.byClient, client, -1);
    };
  }
}

function add(counts: Map<string, number>, key: string, n: number): void {
  const next = (counts.get(key) ?? 0) + n;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

const refusal = (message: string) => new GraphQLError(message, { extensions: { code: "RATE_LIMITED" } });

/**
 * `source`, which calls `release` once when it ends, whichever way: the client hung up (yoga
 * returns the iterator, possibly before reading from it), the stream finished, or it failed.
 */
export function releasedAtEnd<T>(source: AsyncIterable<T>, release: () => void): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const result = await iterator.next();
        if (result.done) release();
        return result;
      } catch (err) {
        release();
        throw err;
      }
    },
    async return(value?: unknown) {
      release();
      return (await iterator.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(err?: unknown) {
      release();
      if (iterator.throw) return iterator.throw(err);
      throw err;
    },
  };
}

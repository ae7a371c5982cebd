import { Repeater } from "graphql-yoga";

/** setTimeout's longest delay (about 24.8 days): a longer one fires at once. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The events of `source` until `expiresAt`, then `last` and the end. A token is checked when the
 * subscription is made; without this, the stream went on delivering to a holder whose token had
 * expired (to whom every query was refused by then). The timer ends the stream even when no
 * event comes; an event that arrives at expiry, before the timer, is not delivered either.
 */
export function untilTokenExpires<T, E>(
  source: AsyncIterable<T>,
  expiresAt: Date,
  last: E,
): AsyncIterable<T | E> {
  return new Repeater<T | E>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const expired = () => Date.now() >= expiresAt.getTime();
    const end = () => {
      void push(last);
      stop();
    };
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      const left = expiresAt.getTime() - Date.now();
      if (left <= 0) return end();
      timer = setTimeout(arm, Math.min(left, LONGEST_TIMEOUT_MS));
    };
    arm();
    const stopped = stop.then(() => ({ done: true as const, value: undefined }));
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (next.done) break;
        if (expired()) {
          end();
          break;
        }
        await push(next.value);
      }
    } finally {
      clearTimeout(timer);
      stop();
      // Unsubscribes from the source (yoga's pubsub), which would otherwise keep its listener.
      await iterator.return?.();
    }
  });
}

import { GraphQLError } from "./graphql.js";
import { WORK_PER_SECOND } from "./limits.js";

/** How long a subject's analysis work is counted for before its count starts again. */
export const ANALYSIS_WINDOW_MS = 60_000;

/** A charge that does not fit: what the subject has spent, and when its minute ends. */
export interface Refusal {
  spent: number;
  /** Whole seconds, 1–60, until the subject's minute ends and its count starts again. */
  retryAfter: number;
}

/** An analysis's estimated work, and what a refusal calls the analysis ("this sweep"). */
export interface Spending {
  amount: number;
  what: string;
}

/**
 * The analysis work each token subject has spent this minute, in this process. A request's own
 * budget (WORK_PER_REQUEST, about 1.5 s of CPU) bounds one request, but nothing bounded how many
 * one subject sent: 300 requests a minute (PINGYI_RATE_LIMIT's default) of 1.5 s each is more
 * than the one thread the gateway has. A subject's minute starts with its first charge after the
 * last one ended (a fixed window per subject); within it, its charges add up to at most
 * `perMinute` work units. Callers without a token run no analysis (every field that spends needs
 * an analyst's scope); were one opened to them, they would share one minute (subject null), not
 * escape it.
 */
export class AnalysisBudget {
  private readonly minutes = new Map<string | null, { start: number; spent: number }>();

  /**
   * `perMinute`: work units a subject may spend in a minute; 0, no limit. Each charge must be at
   * most `perMinute` for `retryAfter` to be true: configured in seconds, it is at least one
   * request's budget (config.ts's MIN_ANALYSIS_SECONDS).
   */
  constructor(readonly perMinute: number) {}

  /** Charges `amount` to `subject`'s minute at `now` (ms, a monotonic clock), or refuses it and charges nothing. */
  take(subject: string | null, amount: number, now: number): Refusal | null {
    if (this.perMinute === 0) return null;
    const minute = this.minuteOf(subject, now);
    const refused = this.refusalIn(minute, amount, now);
    if (!refused) minute.spent += amount;
    return refused;
  }

  /**
   * Charges `spending` as `take` does, or refuses it with RATE_LIMITED, naming the setting and
   * how many seconds to wait (`extensions.retryAfter`, and the reply's Retry-After, which the
   * console reads).
   */
  charge(subject: string | null, spending: Spending, now: number): void {
    const refused = this.take(subject, spending.amount, now);
    if (refused) throw this.refusalError(refused, spending);
  }

  /** Why `minute` cannot take `amount` more at `now`, or null when it can. */
  private refusalIn(minute: { start: number; spent: number }, amount: number, now: number): Refusal | null {
    if (minute.spent + amount <= this.perMinute) return null;
    const left = Math.ceil((minute.start + ANALYSIS_WINDOW_MS - now) / 1000);
    return { spent: minute.spent, retryAfter: Math.min(60, Math.max(1, left)) };
  }

  private refusalError({ spent, retryAfter }: Refusal, spending: Spending): Error {
    return new GraphQLError(
      `this token's subject has spent ${seconds(spent)} of the ${seconds(this.perMinute)} of estimated analysis work the gateway allows one subject a minute (PINGYI_ANALYSIS_SECONDS_PER_MINUTE), and ${spending.what} is estimated at ${seconds(spending.amount)}: retry in ${retryAfter} s, or ask for less`,
      {
        extensions: {
          code: "RATE_LIMITED",
          retryAfter,
          http: { headers: { "retry-after": String(retryAfter) } },
        },
      },
    );
  }

  /**
   * The subject's current minute, a fresh one when the last has ended. Minutes that ended are
   * dropped when a subject not counted yet arrives, so the map holds the subjects of about the
   * last minute.
   */
  private minuteOf(subject: string | null, now: number): { start: number; spent: number } {
    const current = this.currentMinute(subject, now);
    if (current) return current;
    if (!this.minutes.has(subject))
      for (const [other, minute] of this.minutes)
        if (now - minute.start >= ANALYSIS_WINDOW_MS) this.minutes.delete(other);
    const fresh = { start: now, spent: 0 };
    this.minutes.set(subject, fresh);
    return fresh;
  }

  /** The subject's minute if it has not ended by `now`. */
  private currentMinute(subject: string | null, now: number): { start: number; spent: number } | undefined {
    const known = this.minutes.get(subject);
    return known && now - known.start < ANALYSIS_WINDOW_MS ? known : undefined;
  }
}

/** Work units as the seconds of CPU they stand for: "0.4 s", "less than 0.1 s". */
function seconds(units: number): string {
  const s = units / WORK_PER_SECOND;
  return s > 0 && s < 0.1 ? "less than 0.1 s" : `${s.toLocaleString("en", { maximumFractionDigits: 1 })} s`;
}

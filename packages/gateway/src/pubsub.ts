import { randomUUID } from "node:crypto";
import { createPubSub } from "graphql-yoga";
import type { PubSub, RankingEvent } from "./context.js";
import type { Logger } from "./logger.js";
import { laterCycles } from "./store/cycles.js";
import type { Db, Store } from "./store/index.js";

const CHANNEL = "pingyi_ranking_updated";

/**
 * Tells every gateway process listening on the PostgreSQL server that a cycle's ranking changed
 * (for writes made outside a gateway, such as `pingyi import`). `origin` is the sender's id: a
 * gateway ignores its own announcements, having published them locally already.
 */
export async function announce(db: Db, event: RankingEvent, origin: string = randomUUID()): Promise<void> {
  await send(db, await withFollowers(db, event), origin);
}

async function send(db: Db, events: readonly RankingEvent[], origin: string): Promise<void> {
  for (const event of events)
    await db.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify({ origin, event })]);
}

/**
 * The writes that can move the rankings of the cycles following the written one: they read
 * nothing of it but its veto events and, through its link, those of the cycles it follows in
 * turn, as many years back as its year says. Of imports, only one of vetoes (or its removal);
 * one of unknown kind is told too.
 */
const FOLLOWERS_HEAR = new Set(["veto", "previous-cycle", "import", "year"]);

function followersHear(event: RankingEvent): boolean {
  if (!FOLLOWERS_HEAR.has(event.reason)) return false;
  return event.reason !== "import" || event.records === undefined || event.records === "vetoes";
}

/**
 * The event, and the same for each cycle that follows its cycle closely enough to read its
 * vetoes: a veto recorded in last year's cycle moves this year's ranking too.
 */
async function withFollowers(db: Db, event: RankingEvent): Promise<RankingEvent[]> {
  if (!followersHear(event)) return [event];
  const later = await laterCycles(db, event.cycleId);
  return [event, ...later.map((cycleId) => ({ cycleId, reason: event.reason }))];
}

export interface Notifier {
  pubsub: PubSub;
  notify(event: RankingEvent): Promise<void>;
  close(): Promise<void>;
}

export interface ReconnectOptions {
  /** Wait before the first attempt after the connection ends; doubled after each failure. */
  minDelayMs?: number;
  /** The longest wait between attempts: the server may be down for minutes or hours. */
  maxDelayMs?: number;
}

/**
 * How long to wait before reconnection attempt `attempt` (0 first): doubling from `minMs`, at
 * most `maxMs`, spread ±20% so that gateways which lost one server together do not all knock
 * on it at the same moment.
 */
export function reconnectDelay(attempt: number, minMs: number, maxMs: number, random = Math.random): number {
  const doubled = minMs * 2 ** Math.min(attempt, 30);
  return Math.round(Math.min(maxMs, doubled * (0.8 + 0.4 * random())));
}

/** The reason of the event sent after the listener reconnects: it may have missed others. */
export const RESYNC = "resync";

const TOPIC = "rankingUpdated:";

/**
 * yoga's pubsub over an EventTarget that counts its listeners per topic, so the cycles someone
 * subscribes to are known without keeping a list beside the subscriptions.
 */
class CountingTarget extends EventTarget {
  private readonly counts = new Map<string, number>();
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    super.addEventListener(type, listener, options);
    if (listener) this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
  }
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    super.removeEventListener(type, listener, options);
    if (!listener) return;
    const left = (this.counts.get(type) ?? 0) - 1;
    if (left > 0) this.counts.set(type, left);
    else this.counts.delete(type);
  }
  /** The cycles with at least one subscriber. */
  cycles(): string[] {
    return [...this.counts.keys()].filter((t) => t.startsWith(TOPIC)).map((t) => t.slice(TOPIC.length));
  }
}

/**
 * yoga's pubsub reaches this process only. On a PostgreSQL server several gateway processes
 * may share the database, so events also travel through LISTEN/NOTIFY (one extra connection
 * per process). PGlite is single-process by construction and needs no bridge.
 */
export async function createNotifier(
  store: Store,
  databaseUrl: string | undefined,
  logger: Logger,
  reconnect: ReconnectOptions = {},
): Promise<Notifier> {
  if (store.backend !== "postgres" || !databaseUrl) {
    const pubsub: PubSub = createPubSub();
    return {
      pubsub,
      notify: async (event) => {
        for (const e of await withFollowers(store.db, event)) pubsub.publish("rankingUpdated", e.cycleId, e);
      },
      close: async () => undefined,
    };
  }
  const target = new CountingTarget();
  const pubsub: PubSub = createPubSub({ eventTarget: target as never });
  const origin = randomUUID();
  const listener = new Listener(databaseUrl, logger, reconnect, {
    payload: (payload) => {
      try {
        const { origin: from, event } = JSON.parse(payload ?? "") as { origin: string; event: RankingEvent };
        if (from !== origin) pubsub.publish("rankingUpdated", event.cycleId, event);
      } catch {
        // Not ours: another tool on the same channel.
      }
    },
    // NOTIFY keeps nothing for a listener that is away: whatever was written meanwhile is
    // unknown here. Each subscribed cycle gets one event, whose ranking is read when it is
    // sent, after LISTEN, so it includes every write that was missed.
    restored: () => {
      const cycles = target.cycles();
      for (const cycleId of cycles) pubsub.publish("rankingUpdated", cycleId, { cycleId, reason: RESYNC });
      return cycles.length;
    },
  });
  await listener.start();
  return {
    pubsub,
    notify: async (event) => {
      const events = await withFollowers(store.db, event);
      for (const e of events) pubsub.publish("rankingUpdated", e.cycleId, e);
      await send(store.db, events, origin);
    },
    close: () => listener.close(),
  };
}

type PgClient = import("pg").Client;

/**
 * The LISTEN connection. When it ends (a server restart, a failover, a terminated backend) it
 * is opened again, waiting longer after each failure; the outage is logged once when it starts
 * and once when it ends, the attempts between at debug level only.
 */
class Listener {
  private client: PgClient | undefined;
  private closed = false;
  private outage: { since: number; attempts: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly options: ReconnectOptions,
    private readonly on: { payload(payload: string | undefined): void; restored(): number },
  ) {}

  /** The first connection: a failure here stops the gateway's start, as the store's would. */
  async start(): Promise<void> {
    this.client = await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end();
  }

  private async connect(): Promise<PgClient> {
    // Loaded only here: PGlite deployments never open a second connection.
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: this.url, application_name: "pingyi notifications" });
    // Both may come for one loss; only the client in use counts, not one still connecting.
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client));
    client.on("notification", (msg) => this.on.payload(msg.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      // Not awaited: a connection that never opened may never report its end.
      void client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }

  private lost(client: PgClient, err?: Error): void {
    if (this.closed || client !== this.client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.outage = { since: Date.now(), attempts: 0 };
    this.logger.warn("notification listener lost its connection to PostgreSQL; reconnecting", {
      error: err?.message ?? "the connection ended",
    });
    this.retry();
  }

  private retry(): void {
    const { minDelayMs = 250, maxDelayMs = 30_000 } = this.options;
    const delay = reconnectDelay(this.outage!.attempts, minDelayMs, maxDelayMs);
    this.timer = setTimeout(() => void this.attempt(delay), delay);
  }

  private async attempt(waited: number): Promise<void> {
    const outage = this.outage!;
    outage.attempts++;
    let client: PgClient;
    try {
      client = await this.connect();
    } catch (err) {
      if (this.closed) return;
      this.logger.debug("notification listener could not reconnect", {
        attempt: outage.attempts,
        waitedMs: waited,
        error: (err as Error).message,
      });
      return this.retry();
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.outage = undefined;
    const cycles = this.on.restored();
    this.logger.info("notification listener reconnected; subscribed cycles were sent their current ranking", {
      attempts: outage.attempts,
      outageMs: Date.now() - outage.since,
      cycles,
    });
  }
}

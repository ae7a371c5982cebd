import { randomUUID } from "node:crypto";
import { createPubSub } from "graphql-yoga";
import type { PubSub, RankingEvent } from "./context.js";
import type { Logger } from "./logger.js";
import type { Db, Store } from "./store/index.js";

const CHANNEL = "pingyi_ranking_updated";

/**
 * Tells every gateway process listening on the PostgreSQL server that a cycle's ranking changed
 * (for writes made outside a gateway, such as `pingyi import`). `origin` is the sender's id: a
 * gateway ignores its own announcements, having published them locally already.
 */
export async function announce(db: Db, event: RankingEvent, origin: string = randomUUID()): Promise<void> {
  await db.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify({ origin, event })]);
}

export interface Notifier {
  pubsub: PubSub;
  notify(event: RankingEvent): Promise<void>;
  close(): Promise<void>;
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
): Promise<Notifier> {
  const pubsub: PubSub = createPubSub();
  const origin = randomUUID();
  if (store.backend !== "postgres" || !databaseUrl) {
    return {
      pubsub,
      notify: async (e) => pubsub.publish("rankingUpdated", e.cycleId, e),
      close: async () => undefined,
    };
  }
  // Loaded only here: PGlite deployments never open a second connection.
  const { default: pg } = await import("pg");
  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on("error", (err) => logger.warn("notification listener failed", { error: err.message }));
  await listener.connect();
  listener.on("notification", (msg) => {
    try {
      const { origin: from, event } = JSON.parse(msg.payload ?? "") as {
        origin: string;
        event: RankingEvent;
      };
      if (from !== origin) pubsub.publish("rankingUpdated", event.cycleId, event);
    } catch {
      // Not ours: another tool on the same channel.
    }
  });
  await listener.query(`LISTEN ${CHANNEL}`);
  return {
    pubsub,
    notify: async (e) => {
      pubsub.publish("rankingUpdated", e.cycleId, e);
      await announce(store.db, e, origin);
    },
    close: () => listener.end(),
  };
}

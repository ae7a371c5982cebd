/**
 * @pingyi/gateway — the GraphQL gateway: rankings, score breakdowns, what-if and rule
 * administration over the store. Everything public is listed here.
 */
import { AnalysisBudget } from "./analysis-budget.js";
import { createTokenVerifier, signsWithDevelopmentSecret } from "./auth/tokens.js";
import { BASELINE_CACHE_SIZE, BaselineCache } from "./baselines.js";
import { type Config, loadConfig } from "./config.js";
import type { Services } from "./context.js";
import { EvaluationCache } from "./evaluations.js";
import { WORK_PER_SECOND } from "./limits.js";
import { createLogger, type Logger } from "./logger.js";
import { createNotifier } from "./pubsub.js";
import { hasExample, isEmpty, seedExample } from "./seed.js";
import { createYogaServer, listen, type RunningServer, type Yoga } from "./server.js";
import { checkDataDir, listenError, openConfiguredStore, portFree } from "./startup.js";
import type { Store } from "./store/index.js";

export type { Principal, Role } from "./auth/roles.js";
export { ROLES } from "./auth/roles.js";
export { type Config, configDocs, loadConfig } from "./config.js";
export type { Context, Services } from "./context.js";
export type { Logger } from "./logger.js";
export { printedReference, printedSchema, schema } from "./schema/index.js";
export type { RunningServer, Yoga } from "./server.js";

export interface Gateway {
  services: Services;
  yoga: Yoga;
  /** Closes what the gateway opened (the store too, unless it was passed in). */
  close(): Promise<void>;
}

export interface GatewayOptions {
  config?: Config;
  /** An already open store (tests, embedding); otherwise opened from the configuration. */
  store?: Store;
  logger?: Logger;
  /** Load the example year into an empty database (default: config PINGYI_SEED). */
  seed?: boolean;
}

/** Wires store, evaluation cache, auth and schema; does not listen. */
export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const ownsStore = !options.store;
  // Before the database is opened (seconds on PGlite, and seeded): a key that cannot be used
  // stops the gateway at once. loadConfig reads the keys too; a configuration built by other
  // code is read here. The development secret is made after: written beside the data directory
  // on a first start, it would be left there by a start the database refused.
  if (ownsStore) checkDataDir(config);
  const keyed = signsWithDevelopmentSecret(config) ? undefined : await createTokenVerifier(config);
  // Opened with errors that name DATABASE_URL or PINGYI_DATA_DIR, not the driver's words alone.
  const store = options.store ?? (await openConfiguredStore(config, logger));
  try {
    const tokens = keyed ?? (await createTokenVerifier(config));
    if ((options.seed ?? config.PINGYI_SEED) && (await isEmpty(store))) {
      if (await seedExample(store)) logger.info("loaded the city-review example into the empty database");
      // Else another gateway seeded it meanwhile, or there is nothing to seed: said, as an
      // operator who set PINGYI_SEED=true would otherwise look for rankings that never come.
      else if (!hasExample())
        logger.warn(
          "PINGYI_SEED is on, but this install has no example to load (examples/city-review is in a checkout of the repository, not in the npm packages): the database starts empty",
        );
    }
    const notifier = await createNotifier(store, config.DATABASE_URL, logger);
    const services: Services = {
      config,
      store,
      logger,
      evaluations: new EvaluationCache(store, config.PINGYI_CACHE_SIZE),
      baselines: new BaselineCache(Math.min(config.PINGYI_CACHE_SIZE, BASELINE_CACHE_SIZE)),
      analysisBudget: new AnalysisBudget(config.PINGYI_ANALYSIS_SECONDS_PER_MINUTE * WORK_PER_SECOND),
      tokens,
      pubsub: notifier.pubsub,
      // A lost notification must not fail the write that already committed.
      notify: (e) =>
        notifier.notify(e).catch((err: Error) => logger.warn("notification failed", { error: err.message })),
    };
    const yoga = createYogaServer(services);
    return {
      services,
      yoga,
      close: async () => {
        await notifier.close();
        if (ownsStore) await store.close();
      },
    };
  } catch (err) {
    if (ownsStore) await store.close();
    throw err;
  }
}

/** Creates a gateway and serves it over HTTP (PORT 0 picks a free port). */
export async function startServer(
  options: GatewayOptions = {},
): Promise<RunningServer & { gateway: Gateway }> {
  const config = options.config ?? loadConfig();
  // A taken port or a HOST that is not this machine's is refused before the database is opened
  // and, on a first start, made and seeded: seconds of work, and a new data directory, for a
  // gateway that cannot start. (PORT 0 still checks HOST.) The port may be taken meanwhile;
  // listen below says so then.
  await portFree(config.PORT, config.HOST).catch((err) => {
    throw listenError(err, config);
  });
  const gateway = await createGateway({ ...options, config });
  try {
    const running = await listen(gateway.services, gateway.yoga, config.PORT, config.HOST).catch((err) => {
      throw listenError(err, config);
    });
    return {
      ...running,
      gateway,
      close: async (timeoutMs?: number) => {
        await running.close(timeoutMs);
        await gateway.close();
      },
    };
  } catch (err) {
    await gateway.close();
    throw err;
  }
}

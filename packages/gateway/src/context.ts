import DataLoader from "dataloader";
import type { createPubSub } from "graphql-yoga";
import type { AnalysisBudget } from "./analysis-budget.js";
import type { Principal } from "./auth/roles.js";
import type { TokenVerifier } from "./auth/tokens.js";
import type { BaselineCache } from "./baselines.js";
import type { Config } from "./config.js";
import { type EvaluationCache, readableBy, type Scored } from "./evaluations.js";
import { type Spendable, SWEEP_SEGMENTS_PER_REQUEST, WORK_PER_REQUEST } from "./limits.js";
import type { Logger } from "./logger.js";
import { SCENARIO_PATCH_BYTES_PER_REQUEST } from "./scenario-limits.js";
import type { Cycle, ImportRecord, SchemeVersion, Store, UnitRecord, WithProvenance } from "./store/index.js";

export type RankingEvent = {
  cycleId: string;
  reason: string;
  /** For an import or its removal: the kind of records, which decides who else must hear of it. */
  records?: string;
};
export type PubSub = ReturnType<
  typeof createPubSub<{ rankingUpdated: [cycleId: string, event: RankingEvent] }>
>;

/** What lives as long as the process. */
export interface Services {
  config: Config;
  store: Store;
  evaluations: EvaluationCache;
  /** What-if baselines, keyed like `evaluations`. */
  baselines: BaselineCache;
  /** The analysis work each token subject has spent this minute (PINGYI_ANALYSIS_SECONDS_PER_MINUTE). */
  analysisBudget: AnalysisBudget;
  pubsub: PubSub;
  logger: Logger;
  tokens: TokenVerifier;
  /** Tells subscribers (here and, on PostgreSQL, in other processes) that a cycle's ranking changed. */
  notify(event: RankingEvent): Promise<void>;
}

/** What lives for one request: Pothos expects a fresh object per request. */
export interface Context extends Services {
  principal: Principal | null;
  /** The audit actor of a write; only reachable behind the admin/analyst scopes. */
  actor: string;
  loaders: Loaders;
  /**
   * What-if work this request may still do, and what charges it to its subject's minute, how
   * many sweep segments its pages may still hold (see limits.ts) and how many bytes of saved
   * scenarios' patches it may still read (see scenario-limits.ts); shared by every field of the
   * operation.
   */
  work: Spendable & { segments: number; patchBytes: number };
  /**
   * Aborted when the request's connection closes before its answer (the client went away, or
   * the gateway closed it at shutdown): a long write stops and rolls back rather than commit
   * for nobody.
   */
  signal?: AbortSignal | undefined;
}

export interface Loaders {
  evaluation: DataLoader<string, Scored>;
  /** Keyed by `${cycleId}\u0000${unitId}`; one SQL query per cycle however many units are asked for. */
  unit: DataLoader<string, WithProvenance<UnitRecord> | null>;
  /** Every cycle, read once per request: each unit of a page asks for it (`Unit.results`). */
  cycles: () => Promise<Cycle[]>;
  /** Who finalised a cycle (null: no `finalise` record), by cycle id; one query per page of cycles. */
  finaliser: DataLoader<string, string | null>;
  /**
   * Keyed by `${schemeId}\u0000${version}`; one SQL query however many versions a page lists
   * (`SchemeVersion.document` and `maximum`). Null for a version never published.
   */
  schemeVersion: DataLoader<string, SchemeVersion | null>;
  /** The records each import still holds (`ImportRecord.recordsHeld`); one query for a cycle's list. */
  held: DataLoader<ImportRecord, number, string>;
}

export const unitKey = (cycleId: string, unitId: string): string => `${cycleId}\u0000${unitId}`;
export const versionKey = (schemeId: string, version: number): string => `${schemeId}\u0000${version}`;

/**
 * The loaders of one request by `principal`. An evaluation's error is cached for every caller
 * and named for an admin: each request gets it as its caller may read it (`readableBy`).
 */
export function createLoaders(services: Services, principal: Principal | null): Loaders {
  let cycles: Promise<Cycle[]> | undefined;
  return {
    cycles: () => {
      cycles ??= services.store.cycles.list();
      return cycles;
    },
    evaluation: new DataLoader((ids) =>
      Promise.all(
        ids.map((id) => services.evaluations.get(id).catch((e: Error) => readableBy(e, principal?.role))),
      ),
    ),
    finaliser: new DataLoader(async (ids) => {
      const found = await services.store.audit.finalisers(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    schemeVersion: new DataLoader(async (keys) => {
      const wanted = keys.map((k) => {
        const [schemeId, version] = k.split("\u0000");
        return { schemeId: schemeId!, version: Number(version) };
      });
      const found = new Map(
        (await services.store.schemes.getMany(wanted)).map((v) => [versionKey(v.schemeId, v.version), v]),
      );
      return keys.map((k) => found.get(k) ?? null);
    }),
    held: new DataLoader(
      async (imports) => {
        const held = await services.store.imports.held(imports);
        return imports.map((i) => held.get(i.id) ?? 0);
      },
      { cacheKeyFn: (i) => i.id },
    ),
    unit: new DataLoader(async (keys) => {
      const cycles = [...new Set(keys.map((k) => k.split("\u0000")[0]!))];
      const byKey = new Map<string, WithProvenance<UnitRecord>>();
      await Promise.all(
        cycles.map(async (c) => {
          for (const u of await services.store.units.list(c)) byKey.set(unitKey(c, u.id), u);
        }),
      );
      return keys.map((k) => byKey.get(k) ?? null);
    }),
  };
}

export function createContext(
  services: Services,
  principal: Principal | null,
  signal?: AbortSignal,
): Context {
  return {
    ...services,
    principal,
    actor: principal?.subject ?? "anonymous",
    ...perOperation(services, principal),
    signal,
  };
}

/**
 * What one execution of an operation reads and spends afresh. Its analyses are charged to the
 * caller's subject as well, which no new execution resets.
 */
function perOperation(services: Services, principal: Principal | null): Pick<Context, "loaders" | "work"> {
  const subject = principal?.subject ?? null;
  return {
    loaders: createLoaders(services, principal),
    work: {
      remaining: WORK_PER_REQUEST,
      // A monotonic clock: a wall clock set back would hold a subject's minute open for longer.
      charge: (amount, what) => services.analysisBudget.charge(subject, { amount, what }, performance.now()),
      segments: SWEEP_SEGMENTS_PER_REQUEST,
      patchBytes: SCENARIO_PATCH_BYTES_PER_REQUEST,
    },
  };
}

/**
 * Gives the request fresh loaders, its work budget kept: what it read before a write is not
 * what a read after it must see (see schema/mutation-reads.ts).
 */
export function renewLoaders(ctx: Context): void {
  ctx.loaders = createLoaders(ctx, ctx.principal);
}

/**
 * Gives a subscription's context, which lives as long as its stream, what a new request would
 * get, before an event's selection runs: its loaders kept what the first event read (a renamed
 * unit kept its old name in every later event, and the loaders held every record read since),
 * and every event spent from one work budget.
 */
export function renewForEvent(ctx: Context): void {
  Object.assign(ctx, perOperation(ctx, ctx.principal));
}

/**
 * The persistence layer: one Store over a Db (embedded PGlite by default, a PostgreSQL server
 * with DATABASE_URL). The Store holds no process-local state, so several gateway processes can
 * share one PostgreSQL server.
 */
import type {
  AuditApi,
  CyclesApi,
  DatasetApi,
  GroupsApi,
  ImportsApi,
  RecordsApi,
  ScenariosApi,
  SchemesApi,
  UnitsApi,
} from "./api.js";
import { Audit } from "./audit.js";
import { Cycles } from "./cycles.js";
import { DatasetLoader } from "./dataset.js";
import { type Db, type OpenDatabaseOptions, openDatabase } from "./db.js";
import { Imports } from "./imports.js";
import { MappedDb } from "./internal.js";
import { migrate } from "./migrate.js";
import { Records } from "./records.js";
import { Scenarios } from "./scenarios.js";
import { SchemeVersions } from "./scheme-versions.js";
import type { Dataset, Evaluation } from "./types.js";
import { Groups, Units } from "./units.js";

export class Store implements DatasetApi {
  /** Error-mapping handle; inside `transaction`, the transaction's handle. */
  readonly db: Db;
  readonly cycles: CyclesApi;
  readonly groups: GroupsApi;
  readonly units: UnitsApi;
  readonly schemes: SchemesApi;
  readonly records: RecordsApi;
  readonly scenarios: ScenariosApi;
  readonly imports: ImportsApi;
  readonly audit: AuditApi;
  private readonly loader: DatasetLoader;

  constructor(db: Db) {
    this.db = db instanceof MappedDb ? db : new MappedDb(db);
    this.cycles = new Cycles(this.db);
    this.groups = new Groups(this.db);
    this.units = new Units(this.db);
    this.schemes = new SchemeVersions(this.db);
    this.records = new Records(this.db);
    this.scenarios = new Scenarios(this.db);
    this.imports = new Imports(this.db);
    this.audit = new Audit(this.db);
    this.loader = new DatasetLoader(this.db);
  }

  /** Opens the database chosen by the options and brings its schema up to date. */
  static async open(options: OpenDatabaseOptions): Promise<Store> {
    const db = await openDatabase(options);
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return new Store(db);
  }

  get backend(): Db["backend"] {
    return this.db.backend;
  }

  /**
   * Runs several store calls atomically: `fn` gets a Store bound to one transaction (their
   * audit records commit or roll back with them). Keep it short: on PGlite it blocks all readers.
   */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new Store(tx)));
  }

  loadDataset(cycleId: string): Promise<Dataset> {
    return this.loader.loadDataset(cycleId);
  }

  loadEvaluation(cycleId: string): Promise<Evaluation> {
    return this.loader.loadEvaluation(cycleId);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export type * from "./api.js";
export { engineFinding } from "./dataset.js";
export type { Db, OpenDatabaseOptions } from "./db.js";
export { openDatabase, openPglite, openPostgres } from "./db.js";
export * from "./errors.js";
export { MAX_REASON_CHARS, SAYS_SOMETHING } from "./internal.js";
export { migrate, pendingMigrations } from "./migrate.js";
export type { WithProvenance } from "./provenance.js";
export type * from "./types.js";

import { spawn } from "node:child_process";
import { inject } from "vitest";
import type { Role } from "../src/auth/roles.js";
import { loadConfig } from "../src/config.js";
import type { Gateway } from "../src/index.js";
import { type RunningServer, startServer } from "../src/index.js";
import { type Db, migrate, openPostgres, Store } from "../src/store/index.js";
import { lockRecord } from "../src/store/internal.js";
import {
  type BackendName,
  backends,
  createPostgresDatabase,
  openMigratedPglite,
} from "../src/store/test-backends.js";

export { type BackendName, backends };

export const SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

/** One hook, shared by a CountingDb and the transaction handles it hands out. */
interface Shared {
  count: number;
  query?: { pattern: RegExp; fn: () => Promise<void> } | undefined;
}

/** Counts every SQL statement, transactions included, so tests can bound queries per request. */
export class CountingDb implements Db {
  count = 0;
  constructor(
    private readonly inner: Db,
    private readonly counter: Shared = { count: 0 },
  ) {}
  get backend() {
    return this.inner.backend;
  }
  get inTransaction() {
    return this.inner.inTransaction;
  }
  workingNow(): boolean {
    return this.inner.workingNow?.() ?? false;
  }
  get queries() {
    return this.counter.count;
  }
  /**
   * Runs `fn` once, just before the next statement matching `pattern` (inside a transaction
   * too: on PGlite, whose one connection that transaction holds, `fn` must not use the database).
   */
  beforeNextQuery(pattern: RegExp, fn: () => Promise<void>): void {
    this.counter.query = { pattern, fn };
  }
  async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    this.counter.count++;
    const hook = this.counter.query;
    if (hook?.pattern.test(sql)) {
      this.counter.query = undefined;
      await hook.fn();
    }
    return this.inner.query<T>(sql, params);
  }
  exec(sql: string): Promise<void> {
    this.counter.count++;
    return this.inner.exec(sql);
  }
  private pending: (() => Promise<void>) | undefined;
  /**
   * Runs `fn` once, just before the next top-level transaction begins: a test interleaves
   * another request between a write's checks and its transaction, deterministically.
   */
  beforeNextTransaction(fn: () => Promise<void>): void {
    this.pending = fn;
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const hook = this.pending;
    this.pending = undefined;
    await hook?.();
    return this.inner.transaction((tx) => fn(new CountingDb(tx, this.counter)));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface TestServer {
  backend: BackendName;
  url: string;
  store: Store;
  db: CountingDb;
  gateway: Gateway;
  running: RunningServer;
  token(role: Role, subject?: string, expiresIn?: string): Promise<string>;
  /** POSTs a GraphQL request; `as` picks a role (a token is minted), `token` a raw token. */
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { as?: Role; subject?: string; token?: string; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    body: {
      data?: T;
      errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    };
  }>;
  /**
   * POSTs a GraphQL multipart request (an import) as an admin, `file` bound to
   * `variables.file`, as a browser's form upload sends it.
   */
  upload(
    query: string,
    variables: Record<string, unknown>,
    file: { name: string; body: string },
  ): Promise<{ status: number; body: any }>;
  /**
   * Opens a GraphQL subscription over Server-Sent Events as `role`; `next()` waits (at most
   * `timeoutMs`) for the next event and returns its payload, or undefined if none came.
   * `{ token }` subscribes with that token instead, `{ token: null }` with none.
   */
  subscribe(query: string, who: Role | { token: string | null }): Promise<Subscription>;
  /** The newest audit record's id: a write that was refused must not add one. */
  lastAuditId(): Promise<number>;
  close(): Promise<void>;
}

export interface Subscription {
  status: number;
  contentType: string | null;
  next(timeoutMs?: number): Promise<any>;
  /** Whether the server has ended the stream (`next()` gives undefined for that and for a timeout). */
  ended(): boolean;
  close(): void;
}

/** The configuration every test server starts from: test mode, any port, no rate limit. */
export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    LOG_LEVEL: "silent",
    PINGYI_JWT_SECRET: SECRET,
    PINGYI_RATE_LIMIT: "0",
    ...env,
  });
}

// In this file, not in global-setup.ts that provides it: the console's type check reads this
// file (through its browser tests' harness) and not that one.
declare module "vitest" {
  export interface ProvidedContext {
    /** The transpiled command line's entry (see cli-build.ts): `node <testCli> <command> …`. */
    testCli: string;
    /**
     * A file holding the image of a new embedded database with every migration applied
     * (writePgliteImage), which openMigratedPglite opens; none where no global setup made one.
     */
    migratedPglite?: string;
  }
}

/**
 * The command line as the tests start it: `node <testCli()> <command> …`, transpiled once per
 * run (cli-build.ts). startup.test.ts and cli-signals.test.ts run bin/pingyi.mjs itself.
 */
export function testCli(): string {
  return inject("testCli");
}

/** Runs a Node script to its end and collects what it printed. */
export function runNode(
  script: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts a real HTTP server on port 0 over a fresh database: PGlite in memory (the default), or
 * a new database on the PostgreSQL server named by PINGYI_TEST_DATABASE_URL. Test files run
 * their suites once per entry of `backends` (`describe.each(backends)`), so `node
 * scripts/test.mjs` exercises every HTTP test against both.
 */
export async function startTestServer(
  options: { env?: Record<string, string>; seed?: boolean; backend?: BackendName } = {},
): Promise<TestServer> {
  const backend = options.backend ?? "pglite";
  const serverUrl = process.env.PINGYI_TEST_DATABASE_URL;
  if (backend === "postgres" && !serverUrl) throw new Error("PINGYI_TEST_DATABASE_URL is not set");
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (backend === "postgres" && serverUrl) {
    const created = await createPostgresDatabase();
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
  const raw = databaseUrl ? await openPostgres(databaseUrl) : await openMigratedPglite();
  // A no-op on the migrated copy; on the server, the migrations.
  await migrate(raw);
  const db = new CountingDb(raw);
  const store = new Store(db);
  const config = testConfig({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...options.env });
  const running = await startServer({ config, store, seed: options.seed ?? true });
  const { gateway } = running;
  const token = (role: Role, subject = `${role}-1`, expiresIn = "1h") =>
    gateway.services.tokens.sign!({ role, subject }, expiresIn);
  return {
    backend,
    url: running.url,
    store,
    db,
    gateway,
    running,
    token,
    async gql(query, variables, opts = {}) {
      const bearer = opts.token ?? (opts.as ? await token(opts.as, opts.subject) : undefined);
      const res = await fetch(`${running.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...opts.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    async upload(query, variables, file) {
      const form = new FormData();
      form.append("operations", JSON.stringify({ query, variables: { ...variables, file: null } }));
      form.append("map", JSON.stringify({ 0: ["variables.file"] }));
      form.append("0", new Blob([file.body], { type: "text/csv" }), file.name);
      const res = await fetch(`${running.url}/graphql`, {
        method: "POST",
        headers: { authorization: `Bearer ${await token("admin")}`, "x-pingyi-client": "test" },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    },
    async subscribe(query, who) {
      const abort = new AbortController();
      const bearer = typeof who === "string" ? await token(who) : who.token;
      const res = await fetch(`${running.url}/graphql`, {
        method: "POST",
        signal: abort.signal,
        headers: {
          accept: "text/event-stream",
          "content-type": "application/json",
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify({ query }),
      });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      let ended = false;
      let reading: Promise<any> | undefined;
      // Reads until a whole "next" event is in; what follows it stays for the next call.
      const event = async () => {
        for (;;) {
          const at = text.indexOf("event: next");
          const end = at < 0 ? -1 : text.indexOf("\n\n", at);
          if (end >= 0) {
            const data = text.slice(at, end).split("data: ")[1]!.split("\n")[0]!;
            text = text.slice(end + 2);
            return JSON.parse(data);
          }
          const { value, done } = await reader.read();
          if (done) {
            ended = true;
            return undefined;
          }
          text += value;
        }
      };
      // The subscription is registered once the stream is open; give the server a tick.
      await new Promise((r) => setTimeout(r, 100));
      return {
        status: res.status,
        contentType: res.headers.get("content-type"),
        next: async (timeoutMs = 10_000) => {
          // A read that timed out goes on: the event it finds is the next call's, not lost.
          reading ??= event();
          const current = reading;
          const timedOut = Symbol("timed out");
          const found = await Promise.race([
            current,
            new Promise((r) => setTimeout(() => r(timedOut), timeoutMs)),
          ]);
          if (found === timedOut) return undefined;
          if (reading === current) reading = undefined;
          return found;
        },
        ended: () => ended,
        close: () => abort.abort(),
      };
    },
    async lastAuditId() {
      return (await store.audit.list({ limit: 1 }))[0]?.id ?? 0;
    },
    async close() {
      await running.close(2000);
      await store.close();
      await dropDatabase();
    },
  };
}

/**
 * Writes of one cycle sent one after another while its write lock is held, each let go only once
 * the one before waits for the lock: each is checked against the cycle as it was before any of
 * them (what it reads before its transaction), and they then write in the order sent. Two
 * transactions at once need a PostgreSQL server (PGlite runs one at a time).
 */
export async function atOnce<T>(
  t: TestServer,
  cycleId: string,
  ...writes: (() => Promise<T>)[]
): Promise<T[]> {
  const sent: Promise<T>[] = [];
  await t.db.transaction(async (tx) => {
    await lockRecord(tx, "cycles", cycleId);
    for (const write of writes) {
      sent.push(write());
      for (let i = 0; i < 400; i++) {
        const [w] = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'advisory'
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        if (w?.n === sent.length) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  });
  return Promise.all(sent);
}

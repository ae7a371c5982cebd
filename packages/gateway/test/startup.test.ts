import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startServer } from "../src/index.js";
import { openPostgres, Store } from "../src/store/index.js";
import { openTestDatabase } from "../src/store/test-backends.js";
import { backends, testCli, testConfig } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  it("two gateways starting together on one empty database seed it once, and both serve", async () => {
    const t = await openTestDatabase(backend);
    // On a server each process has its own pool; PGlite admits one process, so share its handle.
    const second = t.url ? new Store(await openPostgres(t.url)) : t.store;
    const config = testConfig();
    const started = await Promise.allSettled(
      [t.store, second].map((store) => startServer({ config, store, seed: true })),
    );
    try {
      expect(started.map((s) => (s.status === "rejected" ? String(s.reason) : s.status))).toEqual([
        "fulfilled",
        "fulfilled",
      ]);
      expect((await t.store.schemes.versions("city-review")).map((v) => v.version)).toEqual([1, 2]);
      for (const s of started) {
        if (s.status !== "fulfilled") continue;
        const token = await s.value.gateway.services.tokens.sign!({ role: "viewer", subject: "v" });
        const res = await fetch(`${s.value.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: "{ cycles { edges { node { id } } } }" }),
        });
        expect((await res.json()).data.cycles.edges).toEqual([
          { node: { id: "2019" } },
          { node: { id: "2018" } },
        ]);
      }
    } finally {
      for (const s of started) if (s.status === "fulfilled") await s.value.close(2000);
      if (second !== t.store) await second.close();
      await t.close();
    }
  });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("pnpm start (scripts/start.mjs)", () => {
  it("stops the gateway when it is sent SIGTERM itself, freeing the data directory", async () => {
    // The repository's layout in a temporary directory: the script itself, a console that counts
    // as built (so nothing is built here), and the gateway package.
    const root = await mkdtemp(join(tmpdir(), "pingyi-start-"));
    const repo = fileURLToPath(new URL("../../../", import.meta.url));
    await mkdir(join(root, "scripts"));
    await copyFile(join(repo, "scripts/start.mjs"), join(root, "scripts/start.mjs"));
    await mkdir(join(root, "packages/console/dist"), { recursive: true });
    await writeFile(join(root, "packages/console/dist/index.html"), "<!doctype html>");
    await symlink(join(repo, "packages/gateway"), join(root, "packages/gateway"), "dir");
    const data = join(root, "data");
    const child = spawn(process.execPath, [join(root, "scripts/start.mjs")], {
      cwd: root,
      env: { ...process.env, PORT: "0", PINGYI_DATA_DIR: data, PINGYI_SEED: "false", LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let gatewayPid = 0;
    try {
      let output = "";
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          output += d.toString();
          if (output.includes("listening on")) resolve();
        });
        child.stderr.on("data", (d: Buffer) => {
          output += d.toString();
        });
        child.on("exit", () => reject(new Error(`start.mjs ended before the gateway listened:\n${output}`)));
      });
      gatewayPid = JSON.parse(readFileSync(`${data}.lock`, "utf8")).pid;
      expect(alive(gatewayPid)).toBe(true);
      // As a process manager stops it: the one process it started, not a terminal's whole group.
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      for (let i = 0; i < 100 && alive(gatewayPid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(gatewayPid)).toBe(false);
      expect(existsSync(`${data}.lock`)).toBe(false);
    } finally {
      child.kill("SIGKILL");
      if (gatewayPid && alive(gatewayPid)) process.kill(gatewayPid, "SIGKILL");
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);

  it("refuses arguments before building anything, pointing to the environment", async () => {
    // The script and a built console, no gateway: arguments passed on would reach none.
    const root = await mkdtemp(join(tmpdir(), "pingyi-start-args-"));
    try {
      await mkdir(join(root, "scripts"));
      const repo = fileURLToPath(new URL("../../../", import.meta.url));
      await copyFile(join(repo, "scripts/start.mjs"), join(root, "scripts/start.mjs"));
      await mkdir(join(root, "packages/console/dist"), { recursive: true });
      await writeFile(join(root, "packages/console/dist/index.html"), "<!doctype html>");
      const r = spawnSync(process.execPath, [join(root, "scripts/start.mjs"), "--port", "4001"], {
        cwd: root,
        encoding: "utf8",
        timeout: 20_000,
        env: { ...process.env, npm_execpath: "" },
      });
      expect([r.status, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toBe(
        "[start] pnpm start takes no arguments (--port 4001): the gateway's settings are environment variables, as PORT=4001 pnpm start; docs/configuration.md lists them\n",
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 30_000);
});

// The transpiled command line (helpers' testCli): these tests are about what serve does with
// a data directory, not about bin/pingyi.mjs, whose tsx loader adds 2–3 s of CPU to each of
// their six starts (a refused start already spends ~8 s starting PGlite twice).
const BIN = testCli();

/** `pingyi serve` (behind `prefix`, e.g. unshare), until it listens or ends. */
function serve(prefix: string[], env: Record<string, string>, options: { uid?: number; gid?: number } = {}) {
  const [command, ...args] = [...prefix, process.execPath, BIN, "serve"];
  const child = spawn(command!, args, {
    env: {
      ...process.env,
      PORT: "0",
      PINGYI_SEED: "false",
      LOG_LEVEL: "silent",
      NODE_ENV: "development",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: the cleanup ends the gateway behind unshare too.
    detached: true,
    ...options,
  });
  let output = "";
  const outcome = new Promise<{ listening: boolean; code: number | null; output: string }>((resolve) => {
    const read = (d: Buffer) => {
      output += d.toString();
      if (output.includes("listening on")) resolve({ listening: true, code: null, output });
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => resolve({ listening: false, code, output }));
  });
  return { child, outcome };
}

function stop(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

const asRoot = process.getuid?.() === 0;
/**
 * As root, the test below runs the gateway as nobody, who must be able to read the checkout: a
 * clone under a directory only root may enter (mktemp -d) cannot be, and then the test says so.
 */
const nobodyCanRun =
  !asRoot ||
  spawnSync(process.execPath, [BIN, "--help"], { uid: 65534, gid: 65534, stdio: "ignore" }).status === 0;
const unshareWorks =
  asRoot &&
  spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "true"], { stdio: "ignore" }).status === 0;

describe("the PGlite data directory's lock", () => {
  // Two pods sharing a volume during a rolling update: each gateway has the same pid in its own
  // PID namespace, where the other's pid cannot be checked.
  it.skipIf(!unshareWorks)(
    "keeps a second gateway in another PID namespace out, naming the first",
    async () => {
      const root = await mkdtemp(join(tmpdir(), "pingyi-pidns-"));
      const data = join(root, "data");
      const ns = ["unshare", "--pid", "--fork", "--mount-proc"];
      const first = serve(ns, { PINGYI_DATA_DIR: data });
      let second: ReturnType<typeof serve> | undefined;
      try {
        expect((await first.outcome).output).toContain("listening on");
        const holder = JSON.parse(readFileSync(`${data}.lock`, "utf8"));
        second = serve(ns, { PINGYI_DATA_DIR: data });
        const refused = await second.outcome;
        expect(refused.listening).toBe(false);
        expect(refused.code).toBe(1);
        expect(refused.output).toContain(
          `the PGlite data directory ${data} is in use by process ${holder.pid} on ${hostname()} (lock file ${data}.lock, refreshed `,
        );
        expect(refused.output).toMatch(/if that process is gone, start again in \d+ s or remove /);
      } finally {
        stop(first.child);
        if (second) stop(second.child);
        await rm(root, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it.skipIf(!nobodyCanRun)(
    "names the lock file and the directory that must be writable when the data directory's parent is not",
    async () => {
      const root = await mkdtemp(join(tmpdir(), "pingyi-parent-"));
      const data = join(root, "data");
      await mkdir(data);
      // Root writes anywhere: the gateway runs as nobody then, who may write only in `data`.
      const user = asRoot ? { uid: 65534, gid: 65534 } : {};
      await chmod(root, 0o555);
      if (asRoot) await chown(data, 65534, 65534);
      // With a secret of its own: the development secret, written beside the data directory too
      // (once the database has opened), is refused in its own words.
      const env = { PINGYI_DATA_DIR: data, HOME: data, PINGYI_JWT_SECRET: "a".repeat(40) };
      const gateway = serve([], env, user);
      try {
        const refused = await gateway.outcome;
        expect(refused.code).toBe(1);
        expect(refused.output).toContain(
          `could not open PINGYI_DATA_DIR=${data}: cannot create the lock file ${data}.lock of the PGlite data directory ${data}: ` +
            `${root}, the directory that holds it, must be writable by this user`,
        );
        expect(refused.output).not.toContain("It must be a directory this user can read and write");
      } finally {
        stop(gateway.child);
        await chmod(root, 0o755);
        await rm(root, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

// The development secret was written beside the data directory before the database was opened:
// a start refused there left a .dev-secret beside a directory the gateway never used.
describe("a start refused when the database is opened", () => {
  it("writes no development secret, and leaves one already there as it was", async () => {
    const root = await mkdtemp(join(tmpdir(), "pingyi-refused-"));
    try {
      // Held: a live process (this one) owns its lock, as a running gateway or command would.
      const held = join(root, "held");
      await mkdir(held);
      await writeFile(join(held, "PG_VERSION"), "17\n");
      await writeFile(`${held}.lock`, String(process.pid));
      // Another PostgreSQL's: a data directory of version 12, copied here.
      const other = join(root, "other");
      await mkdir(other);
      await writeFile(join(other, "PG_VERSION"), "12\n");
      const refusals = {
        [held]: `the PGlite data directory ${held} is in use by process ${process.pid}`,
        [other]: `holds a database of PostgreSQL 12 (its PG_VERSION)`,
      };
      for (const [dir, words] of Object.entries(refusals)) {
        const refused = await serve([], { PINGYI_DATA_DIR: dir }).outcome;
        expect(refused.listening, refused.output).toBe(false);
        expect(refused.code).toBe(1);
        expect(refused.output).toContain(words);
        expect(existsSync(`${dir}.dev-secret`), dir).toBe(false);
      }
      // A secret made by an earlier start stays as it was. Beside the held directory: its refusal
      // comes before PGlite starts, where the other's starts PGlite twice (~7 s of CPU in CI).
      await writeFile(`${held}.dev-secret`, "an earlier start's secret\n", { mode: 0o600 });
      const again = await serve([], { PINGYI_DATA_DIR: held }).outcome;
      expect(again.code).toBe(1);
      expect(again.output).toContain(refusals[held]);
      expect(readFileSync(`${held}.dev-secret`, "utf8")).toBe("an earlier start's secret\n");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});

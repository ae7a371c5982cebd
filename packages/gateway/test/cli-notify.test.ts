import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

const BIN = fileURLToPath(new URL("../bin/pingyi.mjs", import.meta.url));

// On PGlite the command line cannot open the data directory while a gateway holds it, so
// there is no one to tell: a PostgreSQL server only.
describe.skipIf(!process.env.PINGYI_TEST_DATABASE_URL)("pingyi import beside a running gateway", () => {
  let t: TestServer;
  let dir: string;
  beforeAll(async () => {
    t = await startTestServer({ backend: "postgres" });
    dir = await mkdtemp(join(tmpdir(), "pingyi-cli-notify-"));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: {
          ...process.env,
          NODE_ENV: "development",
          LOG_LEVEL: "silent",
          PINGYI_SEED: "false",
          DATABASE_URL: t.gateway.services.config.DATABASE_URL!,
        },
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

  it("announces the import to the gateway's live-ranking subscribers", async () => {
    const abort = new AbortController();
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      signal: abort.signal,
      headers: {
        accept: "text/event-stream",
        "content-type": "application/json",
        authorization: `Bearer ${await t.token("viewer")}`,
      },
      body: JSON.stringify({ query: `subscription { rankingUpdated(cycleId: "2019") { cycleId reason } }` }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const received = (async () => {
      while (!text.includes("event: next")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
    })().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));

    await writeFile(join(dir, "findings.csv"), "id,unit,type,level\ncli-live-1,U01,unannounced-visit,city\n");
    const r = await run(["import", "2019", "findings", "findings.csv"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("imported 1 rows");

    const timeout = new Promise((r) => setTimeout(r, 10_000));
    await Promise.race([received, timeout]);
    abort.abort();
    expect(text).toContain("event: next");
    const data = JSON.parse(text.split("event: next")[1]!.split("data: ")[1]!.split("\n")[0]!);
    expect(data.data.rankingUpdated).toEqual({ cycleId: "2019", reason: "import" });
  }, 60_000);
});

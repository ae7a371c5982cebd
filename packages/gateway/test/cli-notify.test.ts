import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode, startTestServer, type TestServer, testCli } from "./helpers.js";

const BIN = testCli();

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
    runNode(BIN, args, {
      cwd: dir,
      env: {
        ...process.env,
        NODE_ENV: "development",
        LOG_LEVEL: "silent",
        PINGYI_SEED: "false",
        DATABASE_URL: t.gateway.services.config.DATABASE_URL!,
      },
    });

  it("announces the import to the gateway's live-ranking subscribers", async () => {
    const sub = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "2019") { cycleId reason } }`,
      "viewer",
    );
    expect(sub.status).toBe(200);

    await writeFile(join(dir, "findings.csv"), "id,unit,type,level\ncli-live-1,U01,unannounced-visit,city\n");
    const r = await run(["import", "2019", "findings", "findings.csv"]);
    // Only the database the row went to, which is the gateway's (its URL holds no password here).
    expect(r.stderr).toBe(`database: ${t.gateway.services.config.DATABASE_URL}\n`);
    expect(r.stdout).toBe("imported 1 row\n");

    const data = await sub.next();
    sub.close();
    expect(data?.data.rankingUpdated).toEqual({ cycleId: "2019", reason: "import" });
  }, 60_000);
});

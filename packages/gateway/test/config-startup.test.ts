import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../src/index.js";
import { runNode, testCli, testConfig } from "./helpers.js";

const BIN = testCli();

/**
 * A setting that cannot work is refused before the database is opened: opening PGlite takes
 * seconds and seeding writes a database, both for a gateway that will not start.
 */
describe("bad settings are refused before the database is opened", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pingyi-config-startup-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const privatePem = generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();

  it("createGateway, given a configuration not read by loadConfig", async () => {
    const data = join(dir, "embedded");
    const config = { ...testConfig({ PINGYI_DATA_DIR: data }), PINGYI_JWT_PUBLIC_KEY: "garbage" };
    await expect(createGateway({ config })).rejects.toThrow(/PINGYI_JWT_PUBLIC_KEY: is not a PEM public key/);
    expect(existsSync(data)).toBe(false);
  });

  const run = (args: string[], env: Record<string, string>) =>
    runNode(BIN, args, {
      cwd: dir,
      env: { ...process.env, NODE_ENV: "development", LOG_LEVEL: "silent", ...env },
    });

  it("pingyi serve names every bad setting, and creates no data directory", async () => {
    const data = join(dir, "serve");
    const r = await run(["serve"], {
      PINGYI_DATA_DIR: data,
      PINGYI_JWT_PUBLIC_KEY: privatePem,
      PORT: "0x10",
      HOST: "0.0.0.0:4000",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PINGYI_JWT_PUBLIC_KEY: is a private key, where the public key is expected/);
    expect(r.stderr).toMatch(/PORT: must be a port number in decimal digits/);
    expect(r.stderr).toMatch(/HOST: must not include a port/);
    // The private key stays out of what is printed.
    expect(r.stderr).not.toContain(privatePem.split("\n")[1]);
    expect(existsSync(data)).toBe(false);
  }, 60_000);

  it("pingyi token names PINGYI_JWT_PUBLIC_KEY", async () => {
    const r = await run(["token", "admin", "li"], {
      PINGYI_DATA_DIR: join(dir, "token"),
      PINGYI_JWT_PUBLIC_KEY:
        "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PINGYI_JWT_PUBLIC_KEY: has \\n written out as two characters/);
    expect(r.stderr).not.toMatch(/DECODER/);
  }, 60_000);
});

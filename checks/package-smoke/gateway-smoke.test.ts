import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkPackedPackage, type PackedPackage } from "./manifest-checks.js";
import { consumerProject, pack, remove, unpack } from "./pack.js";

// The gateway installs from npm with the packages it depends on (the engine, and the console
// it serves), none of them linked from the workspace, and answers GraphQL over HTTP.
describe("@pingyi/gateway as npm consumers get it", () => {
  let work: string;
  let consumer: string;
  let gateway: PackedPackage;
  let consolePackage: PackedPackage;
  let server: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "pingyi-pack-"));
    const packed = (dir: string) => {
      const into = join(work, dir.replace(/\W/g, "_"));
      mkdirSync(into);
      const tarball = pack(dir, into);
      return { tarball, contents: unpack(tarball, into) };
    };
    const console_ = packed("packages/console");
    const gw = packed("packages/gateway");
    gateway = gw.contents;
    consolePackage = console_.contents;
    consumer = consumerProject([inject("engineTarball"), console_.tarball, gw.tarball], {});

    server = spawn(
      process.execPath,
      [join(consumer, "node_modules/@pingyi/gateway/bin/pingyi.mjs"), "serve"],
      {
        cwd: consumer,
        env: { ...process.env, PORT: "0", PINGYI_DATA_DIR: join(consumer, "data"), NODE_ENV: "development" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    url = await new Promise<string>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /listening on (\S+)\/graphql/.exec(output);
        if (m) resolve(m[1]!);
      };
      server!.stdout!.on("data", seen);
      server!.stderr!.on("data", seen);
      server!.on("exit", (code) => reject(new Error(`the gateway exited with ${code}:\n${output}`)));
    });
  }, 300_000);

  afterAll(() => {
    server?.kill("SIGTERM");
    remove(work, consumer);
  });

  it("packs the gateway and the console fit to publish: no source, no workspace ranges, README and LICENSE", () => {
    expect(checkPackedPackage(gateway)).toEqual([]);
    // The console's assets are a browser bundle Vite has already resolved (its strings quote
    // React's "import … from './MyComponent'" advice); Node only loads serve.js.
    const nodeSide = consolePackage.files.filter((f) => !f.startsWith("dist/assets/"));
    expect(checkPackedPackage({ ...consolePackage, files: nodeSide })).toEqual([]);
    expect(consolePackage.files.some((f) => /^dist\/assets\/index-.*\.js$/.test(f))).toBe(true);
    expect(gateway.manifest.dependencies).toMatchObject({
      "@pingyi/engine": "0.1.0",
      "@pingyi/console": "0.1.0",
    });
    // The console is a built bundle: React, ECharts and the rest are inside it, not installed.
    expect(consolePackage.manifest).not.toHaveProperty("dependencies");
    expect(consolePackage.files).toContain("dist/index.html");
    expect(gateway.files.filter((f) => f.startsWith("src/"))).toEqual([]);
    for (const p of [gateway, consolePackage]) {
      expect(p.files).toEqual(expect.arrayContaining(["LICENSE", "README.md"]));
      expect(p.manifest.license).toBe("MIT");
    }
  });

  it("starts on the embedded database and answers GraphQL over HTTP", async () => {
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __schema { queryType { name } } }" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
  });

  it("serves the console it was installed with", async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain('<div id="root">');
  });
});

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleHandler } from "./console-static.js";

let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "pingyi-console-"));
  const dist = join(root, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>评议</title>");
  writeFileSync(join(dist, "assets", "index-D-x0Ft0N.js"), "export {};");
  writeFileSync(join(dist, "assets", "style-BuRz5osM.css"), "body{}");
  writeFileSync(join(dist, "robots.txt"), "User-agent: *");
  writeFileSync(join(root, "secret.txt"), "outside");
  symlinkSync(join(root, "secret.txt"), join(dist, "link.txt"));
  const serve = createConsoleHandler(dist);
  server = createServer((req, res) => {
    void serve(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418);
        res.end("passed on");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(base + path, init);

describe("createConsoleHandler", () => {
  it("serves index.html at / and, to a browser, for extension-less paths, never cached", async () => {
    const browser = { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } };
    for (const path of ["/", "/rankings", "/whatif/deep?scenario=1"]) {
      const res = await get(path, browser);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(await res.text()).toContain("评议");
    }
  });

  it("serves hashed assets with their type, cached for good", async () => {
    const js = await get("/assets/index-D-x0Ft0N.js");
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    const css = await get("/assets/style-BuRz5osM.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const txt = await get("/robots.txt");
    expect(txt.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers a probe's unknown path with 404, not the console's page", async () => {
    // A mistyped liveness path must not read as healthy; curl and kubelet send Accept: */*.
    for (const path of ["/healthz", "/readyz", "/metrics"]) {
      expect((await get(path)).status).toBe(404);
      expect((await get(path, { headers: { accept: "*/*" } })).status).toBe(404);
    }
  });

  it("answers a missing file with 404, not index.html", async () => {
    expect((await get("/assets/gone-AAAAAAAA.js")).status).toBe(404);
  });

  it("never reads outside the directory", async () => {
    for (const path of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/..%5csecret.txt",
    ]) {
      const res = await get(path);
      expect(await res.text()).not.toContain("outside");
    }
    const linked = await get("/link.txt");
    expect(linked.status).toBe(404);
    expect(await linked.text()).not.toContain("outside");
    expect((await get("/a%00b")).status).toBe(400);
  });

  it("passes on the gateway's own paths and other methods", async () => {
    for (const path of ["/graphql", "/graphql?query=x", "/health", "/ready"]) {
      expect((await get(path)).status).toBe(418);
    }
    expect((await get("/", { method: "POST", body: "x" })).status).toBe(418);
  });

  it("answers HEAD without a body", async () => {
    const res = await get("/", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await res.text()).toBe("");
  });

  it("passes everything on when no console is built", async () => {
    const serve = createConsoleHandler(null);
    const handled = await serve({ method: "GET", url: "/" } as never, {} as never);
    expect(handled).toBe(false);
  });
});

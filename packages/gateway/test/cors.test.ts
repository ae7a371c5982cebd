import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { startTestServer, type TestServer } from "./helpers.js";

const PORTAL = "https://portal.example.gov";
const EVIL = "https://evil.example";

/** A browser's preflight before a cross-origin POST with a token and the CSRF header. */
const preflight = (t: TestServer, origin: string) =>
  fetch(`${t.url}/graphql`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type, x-pingyi-client",
    },
  });

/** The cross-origin POST itself, as a script on `origin` would send it. */
const post = (t: TestServer, origin: string) =>
  fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { origin, "content-type": "application/json", "x-pingyi-client": "portal" },
    body: JSON.stringify({ query: "{ cycles(first: 5) { edges { node { id } } } }" }),
  });

/**
 * Which web pages may call the API from a browser. By default none but the gateway's own console:
 * with public rankings on, any website a staff member visits could otherwise read an intranet
 * gateway through their browser.
 */
describe("cross-origin requests, by default", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { PINGYI_PUBLIC_RANKINGS: "true" } });
  });
  afterAll(() => t?.close());

  it("allows no other origin, in the preflight or the request", async () => {
    for (const res of [await preflight(t, EVIL), await post(t, EVIL)]) {
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });
});

describe("PINGYI_CORS_ORIGINS", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { PINGYI_PUBLIC_RANKINGS: "true", PINGYI_CORS_ORIGINS: `${PORTAL}, https://other.example.gov` },
    });
  });
  afterAll(() => t?.close());

  it("lets a listed origin call, with the token and CSRF headers and no credentials", async () => {
    const pre = await preflight(t, PORTAL);
    expect(pre.headers.get("access-control-allow-origin")).toBe(PORTAL);
    expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-pingyi-client");
    expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
    const res = await post(t, PORTAL);
    expect(res.headers.get("access-control-allow-origin")).toBe(PORTAL);
    expect((await res.json()).data.cycles.edges.length).toBeGreaterThan(0);
  });

  it("still allows no origin that is not listed", async () => {
    for (const res of [await preflight(t, EVIL), await post(t, EVIL)])
      expect(res.headers.get("access-control-allow-origin")).not.toBe(EVIL);
  });

  it("refuses an entry that is no origin a browser sends, naming it", () => {
    expect(() => loadConfig({ PINGYI_CORS_ORIGINS: `${PORTAL}/` })).toThrow(
      'PINGYI_CORS_ORIGINS: "https://portal.example.gov/": must be the origin alone, as a browser sends it (https://portal.example.gov), without a path or a trailing slash',
    );
    expect(() => loadConfig({ PINGYI_CORS_ORIGINS: "portal.example.gov" })).toThrow(
      /PINGYI_CORS_ORIGINS: "portal.example.gov": must be an origin such as/,
    );
  });
});

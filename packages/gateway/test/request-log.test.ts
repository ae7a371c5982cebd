import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../src/auth/roles.js";
import { startServer } from "../src/index.js";
import { createLogger } from "../src/logger.js";
import { testConfig } from "./helpers.js";

/**
 * The "request" line an operator reads for a GraphQL request: who asked (never the token),
 * which operation, and the codes of the errors it was answered with.
 */

type Line = Record<string, unknown>;

describe("the request log line of a GraphQL request", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const lines: Line[] = [];
  const raw: string[] = [];

  beforeAll(async () => {
    const logger = createLogger("info", (l) => {
      raw.push(l);
      lines.push(JSON.parse(l));
    });
    server = await startServer({ config: testConfig({ PINGYI_DATA_DIR: "memory://" }), logger, seed: true });
  }, 60_000);
  let closed = false;
  afterAll(async () => {
    if (!closed) await server?.close(2000);
  });

  const token = (role: Role, subject: string) =>
    server.gateway.services.tokens.sign!({ role, subject }, "1h");

  /** POSTs a query with a marker header so its line can be told from the others. */
  async function post(body: unknown, bearer?: string, accept?: string) {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(accept ? { accept } : {}),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return res;
  }

  /** The line of the n-th request from now: "finish" may come just after the client has read it all. */
  async function lineAfter(before: number): Promise<Line> {
    for (let i = 0; i < 100; i++) {
      const line = lines.slice(before).find((l) => l.msg === "request");
      if (line) return line;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("no request line was logged");
  }

  it("names the caller, the operation and its type, and no errors when there were none", async () => {
    const bearer = await token("viewer", "wang.li");
    const before = lines.length;
    const res = await post(
      {
        query: `query Ranking { ranking(cycleId: "2019") { __typename } } query Other { cycles { edges { node { id } } } }`,
        operationName: "Ranking",
      },
      bearer,
    );
    expect((await res.json()).errors).toBeUndefined();
    const line = await lineAfter(before);
    expect(line).toMatchObject({
      method: "POST",
      path: "/graphql",
      status: 200,
      actor: "wang.li",
      role: "viewer",
      operation: "Ranking",
      operationType: "query",
    });
    expect(line).not.toHaveProperty("errors");
    // The token is never written, in this line or any other.
    expect(raw.join("")).not.toContain(bearer);
  });

  it("gives a refused mutation's error code, and an unnamed operation only its type", async () => {
    const before = lines.length;
    const res = await post(
      { query: `mutation { upsertGroup(cycleId: "2019", input: { id: "x", name: "X" }) { __typename } }` },
      await token("viewer", "zhao.min"),
    );
    expect((await res.json()).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const line = await lineAfter(before);
    expect(line).toMatchObject({
      actor: "zhao.min",
      operationType: "mutation",
      errors: ["FORBIDDEN"],
    });
    expect(line).not.toHaveProperty("operation");
  });

  it("gives the code of an error answered as a typed result, as most refusals are", async () => {
    const before = lines.length;
    const res = await post(
      { query: `query Missing { ranking(cycleId: "1999") { __typename ... on NotFoundError { code } } }` },
      await token("viewer", "qian.yu"),
    );
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.ranking).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });
    expect(await lineAfter(before)).toMatchObject({
      actor: "qian.yu",
      operation: "Missing",
      errors: ["NOT_FOUND"],
    });
    // Only its own request's: the next request's line has none.
    const next = lines.length;
    await post(
      { query: `query Fine { cycles { edges { node { id } } } }` },
      await token("viewer", "qian.yu"),
    );
    expect(await lineAfter(next)).not.toHaveProperty("errors");
  });

  it("logs no actor for a request without a token, nor for one with a refused token", async () => {
    for (const bearer of [undefined, "not-a-token"]) {
      const before = lines.length;
      await post({ query: `query Cycles { cycles { edges { node { id } } } }` }, bearer);
      const line = await lineAfter(before);
      // A refused token is answered before the query is read, so its line names no operation.
      expect(line).toMatchObject(
        bearer
          ? { status: 401, errors: ["UNAUTHENTICATED"] }
          : { operation: "Cycles", operationType: "query", errors: ["UNAUTHENTICATED"] },
      );
      if (bearer) expect(line).not.toHaveProperty("operation");
      expect(line).not.toHaveProperty("actor");
      expect(line).not.toHaveProperty("role");
    }
  });

  it("answers a refused token 401 before its query is validated, and logs the refusal", async () => {
    for (const query of [`{ nope }`, `{ ranking(`, `query Cycles { cycles { edges { node { id } } } }`]) {
      const before = lines.length;
      const res = await post({ query }, "not-a-token");
      expect(res.status, query).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      const body = await res.json();
      expect(body.data).toBeUndefined();
      expect(body.errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual([
        "UNAUTHENTICATED",
      ]);
      const line = await lineAfter(before);
      expect(line).toMatchObject({ status: 401, errors: ["UNAUTHENTICATED"] });
      expect(line).not.toHaveProperty("actor");
    }
    // The operation the client named still says which client holds the stale token.
    const before = lines.length;
    await post(
      { query: `query Cycles { cycles { edges { node { id } } } }`, operationName: "Cycles" },
      "stale",
    );
    const line = await lineAfter(before);
    expect(line).toMatchObject({ status: 401, operation: "Cycles", errors: ["UNAUTHENTICATED"] });
    expect(line).not.toHaveProperty("operationType");
  });

  it("lists each error code once, and the codes of requests refused before they run", async () => {
    let before = lines.length;
    await post({ query: `{ nope }` }, await token("viewer", "v"));
    // Refused before it ran, and still logged with who sent it.
    expect(await lineAfter(before)).toMatchObject({
      actor: "v",
      role: "viewer",
      errors: ["GRAPHQL_VALIDATION_FAILED"],
    });
    before = lines.length;
    await post({ query: `{ ranking(` }, await token("viewer", "v"));
    expect(await lineAfter(before)).toMatchObject({ actor: "v", errors: ["GRAPHQL_PARSE_FAILED"] });
    // Batches are off: refused, and the line says so rather than failing.
    before = lines.length;
    const batch = await post([
      { query: "{ cycles { edges { node { id } } } }" },
      { query: "{ __typename }" },
    ]);
    expect(batch.status).toBe(400);
    expect(await lineAfter(before)).toMatchObject({ status: 400, errors: ["BAD_REQUEST"] });
  });

  it("logs a request the client walked away from, marked aborted, and no longer waits on it", async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${await token("viewer", "sun.li")}`,
      },
      body: JSON.stringify({ query: `subscription Gone { rankingUpdated(cycleId: "2019") { cycleId } }` }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const before = lines.length;
    controller.abort();
    expect(await lineAfter(before)).toMatchObject({
      actor: "sun.li",
      operation: "Gone",
      operationType: "subscription",
      aborted: true,
    });
  });

  // Last: it closes the server. Shutting down ends every subscription's response.
  it("logs a subscription's caller and operation when the server ends its stream", async () => {
    const res = await post(
      { query: `subscription Updates { rankingUpdated(cycleId: "2019") { cycleId } }` },
      await token("viewer", "li.na"),
      "text/event-stream",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reading = res.text();
    await new Promise((r) => setTimeout(r, 100));
    const before = lines.length;
    await server.close(2000);
    closed = true;
    await reading;
    expect(await lineAfter(before)).toMatchObject({
      actor: "li.na",
      role: "viewer",
      operation: "Updates",
      operationType: "subscription",
    });
  });
});

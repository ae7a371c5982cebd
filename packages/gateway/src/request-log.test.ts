// The document is only read, never checked with instanceof: graphql's ESM copy does here.
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { newRequestLog, type RequestLog, requestLogFields, requestLogPlugin } from "./request-log.js";

// The hooks take yoga's payloads; these tests give them only the parts the plugin reads.
const parsed = (log: RequestLog, query: string, operationName?: string) => {
  const context = { requestLog: log, params: { operationName } };
  const after = requestLogPlugin(async () => null).onParse!({ context } as never);
  (after as (p: unknown) => void)({ context, result: parse(query) });
};

describe("requestLogFields", () => {
  it("adds nothing for a request that never reached GraphQL", () => {
    expect(requestLogFields(newRequestLog())).toEqual({});
  });

  it("names the operation chosen by operationName, and cuts a name longer than 100 characters", () => {
    const log = newRequestLog();
    parsed(log, "query A { a } mutation B { b }", "B");
    expect(requestLogFields(log)).toEqual({ operation: "B", operationType: "mutation" });
    const long = newRequestLog();
    parsed(long, `query ${"N".repeat(500)} { a }`);
    expect(requestLogFields(long).operation).toBe(`${"N".repeat(100)}…`);
  });

  it("lists every operation of a batch in order", () => {
    const log = newRequestLog();
    parsed(log, "query A { a }");
    parsed(log, "{ b }");
    expect(requestLogFields(log)).toEqual({
      operations: [{ operation: "A", operationType: "query" }, { operationType: "query" }],
    });
  });
});

describe("requestLogPlugin's error codes", () => {
  const processed = (log: RequestLog, result: unknown) => {
    let sent = result;
    requestLogPlugin(async () => null).onResultProcess!({
      result,
      setResult: (r: unknown) => {
        sent = r;
      },
      serverContext: { requestLog: log },
    } as never);
    return sent;
  };
  const failed = (...codes: (string | undefined)[]) => ({
    errors: codes.map((code) => ({ message: "no", ...(code ? { extensions: { code } } : {}) })),
  });

  it("takes each code once, from every result of a batch; an error without a code adds none", () => {
    const log = newRequestLog();
    processed(log, [failed("FORBIDDEN", "FORBIDDEN"), failed(undefined, "NOT_FOUND"), { data: {} }]);
    expect(requestLogFields(log)).toEqual({ errors: ["FORBIDDEN", "NOT_FOUND"] });
  });

  it("takes a subscription's codes as its events are sent, and still ends the source stream", async () => {
    const log = newRequestLog();
    let ended = false;
    async function* events() {
      try {
        yield { data: { a: 1 } };
        yield failed("INTERNAL_SERVER_ERROR");
        yield { data: { a: 2 } };
      } finally {
        ended = true;
      }
    }
    const sent = processed(log, events()) as AsyncIterableIterator<unknown>;
    expect(requestLogFields(log)).toEqual({});
    await sent.next();
    await sent.next();
    expect(requestLogFields(log)).toEqual({ errors: ["INTERNAL_SERVER_ERROR"] });
    await sent.return?.();
    expect(ended).toBe(true);
  });
});

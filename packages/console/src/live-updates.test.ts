import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { translator } from "./i18n";
import { type SseEvent, SseParser, updateNotice, watchRanking } from "./live-updates";

/** Every event a parser gives for `chunks` fed one after another. */
const parse = (...chunks: string[]): SseEvent[] => {
  const parser = new SseParser();
  return chunks.flatMap((c) => parser.push(c));
};

/** What the gateway (graphql-yoga) sends: a keep-alive first, events, keep-alives between them, and `complete`. */
const next = (reason: string) => `event: next\ndata: {"data":{"rankingUpdated":{"reason":"${reason}"}}}\n\n`;
const YOGA = `:\n\n${next("veto")}:\n\n:\n\n${next("import")}event: complete\ndata:\n\n`;
const YOGA_EVENTS = [
  { type: "next", data: '{"data":{"rankingUpdated":{"reason":"veto"}}}' },
  { type: "next", data: '{"data":{"rankingUpdated":{"reason":"import"}}}' },
  { type: "complete", data: "" },
];

describe("SseParser", () => {
  it("reads the gateway's stream whole, keep-alives left out", () => {
    expect(parse(YOGA)).toEqual(YOGA_EVENTS);
  });

  it("gives the same events however the stream is cut into chunks, mid-line and mid-field included", () => {
    expect(parse(...YOGA.split(""))).toEqual(YOGA_EVENTS);
    for (let at = 1; at < YOGA.length; at++)
      expect(parse(YOGA.slice(0, at), YOGA.slice(at))).toEqual(YOGA_EVENTS);
  });

  it("holds an event back until the blank line that ends it", () => {
    const parser = new SseParser();
    expect(parser.push("event: next\ndata: {}")).toEqual([]);
    expect(parser.push("\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ type: "next", data: "{}" }]);
  });

  it("joins data lines with a line feed, and takes CRLF and CR as line ends, a CRLF split between chunks included", () => {
    expect(parse("data: a\ndata: b\ndata:c\ndata\n\n")).toEqual([{ type: "message", data: "a\nb\nc\n" }]);
    expect(parse("event: next\r\ndata: 1\r\ndata: 2\r\n\r\n")).toEqual([{ type: "next", data: "1\n2" }]);
    expect(parse("event: next\r", "\ndata: 1\r", "\n\r", "\n")).toEqual([{ type: "next", data: "1" }]);
    expect(parse("data: 1\rdata: 2\r\r")).toEqual([{ type: "message", data: "1\n2" }]);
    // A CR ending a chunk, then a CR: two line ends, the event's end.
    expect(parse("data: 1\r", "\r")).toEqual([{ type: "message", data: "1" }]);
    // A CR, an empty chunk, an LF: one line end, not yet the event's.
    expect(parse("data: 1\r", "", "\n")).toEqual([]);
    expect(parse("data: 1\r", "", "\n", "\n")).toEqual([{ type: "message", data: "1" }]);
    const crlf = YOGA.replaceAll("\n", "\r\n");
    for (let at = 1; at < crlf.length; at++)
      expect(parse(crlf.slice(0, at), crlf.slice(at))).toEqual(YOGA_EVENTS);
  });

  it("keeps only the first space after the colon, and the rest of the line as it is", () => {
    expect(parse('data:  {"a": "b: c"}\n\n')).toEqual([{ type: "message", data: ' {"a": "b: c"}' }]);
  });

  it("dispatches nothing for comments, keep-alives, or an event without data", () => {
    expect(parse(":\n\n: keep-alive\n\n:ping\r\n\r\n")).toEqual([]);
    expect(parse("event: next\n\ndata: x\n\n")).toEqual([{ type: "message", data: "x" }]);
    expect(parse("id: 7\nretry: 10\nunknown: x\n\n")).toEqual([]);
  });

  it("drops a byte-order mark at the start of the stream only", () => {
    expect(parse("\uFEFFdata: x\n\n", "data: \uFEFFy\n\n")).toEqual([
      { type: "message", data: "x" },
      { type: "message", data: "\uFEFFy" },
    ]);
  });
});

/** A stand-in for the gateway's /graphql: each request gets a stream the test writes to. */
function gateway(reply?: (n: number) => Response | undefined) {
  const encoder = new TextEncoder();
  const requests: {
    init: RequestInit;
    send(text: string): void;
    end(): void;
    aborted(): boolean;
  }[] = [];
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const given = reply?.(requests.length);
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
    });
    const signal = init!.signal!;
    // As fetch does: aborting the request errors the body being read.
    signal.addEventListener("abort", () => {
      try {
        controller.error(new DOMException("aborted", "AbortError"));
      } catch {}
    });
    requests.push({
      init: init!,
      send: (text) => controller.enqueue(encoder.encode(text)),
      end: () => controller.close(),
      aborted: () => signal.aborted,
    });
    return given ?? new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

/** Lets streamed chunks and the reads they wake run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe("watchRanking", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const watch = (
    gw: ReturnType<typeof gateway>,
    options: Partial<Parameters<typeof watchRanking>[2]> = {},
  ) => {
    const seen: string[] = [];
    const close = watchRanking(
      "2019",
      {
        onOpen: () => seen.push("open"),
        onUpdate: (reason) => seen.push(reason),
        onDown: () => seen.push("down"),
      },
      {
        fetch: gw.fetch,
        token: () => "TOKEN",
        onUnauthenticated: () => seen.push("signed out"),
        retryDelay: (failures) => 1000 * 2 ** failures,
        ...options,
      },
    );
    return { seen, close };
  };

  it("subscribes with the bearer token and the CSRF header, and hears each update once the stream is open", async () => {
    const gw = gateway();
    const { seen, close } = watch(gw);
    await settle();
    const { init } = gw.requests[0]!;
    expect(init.method).toBe("POST");
    expect(init.headers).toMatchObject({
      accept: "text/event-stream",
      "content-type": "application/json",
      authorization: "Bearer TOKEN",
      "x-pingyi-client": "console",
    });
    const body = JSON.parse(String(init.body));
    expect(body.variables).toEqual({ cycleId: "2019" });
    expect(body.query).toMatch(
      /^subscription LiveRanking\(\$cycleId: ID!\) \{ rankingUpdated\(cycleId: \$cycleId\)/,
    );
    expect(seen).toEqual([]);
    gw.requests[0]!.send(":\n\n");
    await settle();
    expect(seen).toEqual(["open"]);
    gw.requests[0]!.send(`${next("veto")}:\n\nevent: next\ndata: {"data":{"rankingUp`);
    await settle();
    expect(seen).toEqual(["open", "veto"]);
    gw.requests[0]!.send(`dated":{"reason":"resync"}}}\n\n`);
    await settle();
    expect(seen).toEqual(["open", "veto", "resync"]);
    close();
    await settle();
    expect(gw.requests[0]!.aborted()).toBe(true);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(gw.requests).toHaveLength(1);
  });

  it("opens a dropped stream again after a pause that grows while attempts keep failing", async () => {
    const gw = gateway();
    const { seen, close } = watch(gw, { stableMs: 30_000 });
    await settle();
    gw.requests[0]!.send(":\n\n");
    await settle();
    gw.requests[0]!.end();
    await settle();
    expect(seen).toEqual(["open", "down"]);
    await vi.advanceTimersByTimeAsync(999);
    expect(gw.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(gw.requests).toHaveLength(2);
    // The gateway ends the subscription (shutting down): that is a drop too.
    gw.requests[1]!.send(":\n\nevent: complete\ndata:\n\n");
    await settle();
    expect(seen).toEqual(["open", "down", "open", "down"]);
    expect(gw.requests[1]!.aborted()).toBe(true);
    await vi.advanceTimersByTimeAsync(1999);
    expect(gw.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(gw.requests).toHaveLength(3);
    // Open long enough this time: the next drop waits the first pause again.
    gw.requests[2]!.send(":\n\n");
    await vi.advanceTimersByTimeAsync(30_000);
    gw.requests[2]!.send(next("score"));
    gw.requests[2]!.end();
    await settle();
    expect(seen.slice(4)).toEqual(["open", "score", "down"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(gw.requests).toHaveLength(4);
    close();
  });

  it("takes a stream silent for longer than the gateway's keep-alives for dead, and opens another", async () => {
    const gw = gateway();
    const { seen, close } = watch(gw, { silenceMs: 45_000 });
    await settle();
    gw.requests[0]!.send(":\n\n");
    await vi.advanceTimersByTimeAsync(40_000);
    gw.requests[0]!.send(":\n\n");
    await vi.advanceTimersByTimeAsync(40_000);
    expect(seen).toEqual(["open"]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(gw.requests[0]!.aborted()).toBe(true);
    expect(seen).toEqual(["open", "down"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(gw.requests).toHaveLength(2);
    close();
  });

  it("signs out, and stops, when the gateway refuses the token", async () => {
    // How graphql-yoga refuses an expired token on a stream: 401, the error as an event, then complete.
    const refused = `:\n\nevent: next\ndata: {"errors":[{"message":"this token expired","extensions":{"code":"UNAUTHENTICATED"}}]}\n\nevent: complete\ndata:\n\n`;
    const gw = gateway(
      () => new Response(refused, { status: 401, headers: { "content-type": "text/event-stream" } }),
    );
    const { seen } = watch(gw);
    await settle();
    expect(seen).toEqual(["signed out"]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(gw.requests).toHaveLength(1);
  });

  it("signs out without connecting when the session is over, as the gateway would take the stream without a token", async () => {
    const gw = gateway();
    const { seen } = watch(gw, { token: () => undefined });
    await settle();
    expect(seen).toEqual(["signed out"]);
    expect(gw.requests).toHaveLength(0);
  });

  it("waits out a Retry-After before trying again, and signs out on a JSON refusal of the token", async () => {
    const json = (status: number, code: string, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify({ errors: [{ message: code, extensions: { code } }] }), {
        status,
        headers: { "content-type": "application/json", ...headers },
      });
    const gw = gateway((n) =>
      n === 0 ? json(429, "RATE_LIMITED", { "retry-after": "7" }) : json(401, "UNAUTHENTICATED"),
    );
    const { seen } = watch(gw);
    await settle();
    expect(seen).toEqual(["down"]);
    await vi.advanceTimersByTimeAsync(6999);
    expect(gw.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(gw.requests).toHaveLength(2);
    expect(seen).toEqual(["down", "signed out"]);
  });

  it("tries again when the gateway cannot be reached", async () => {
    let n = 0;
    const gw = gateway();
    const failing = vi.fn((url: string | URL | Request, init?: RequestInit) =>
      n++ === 0 ? Promise.reject(new TypeError("Failed to fetch")) : gw.fetch(url, init),
    );
    const { seen, close } = watch(gw, { fetch: failing as unknown as typeof fetch });
    await settle();
    expect(seen).toEqual(["down"]);
    await vi.advanceTimersByTimeAsync(1000);
    gw.requests[0]!.send(":\n\n");
    await settle();
    expect(seen).toEqual(["down", "open"]);
    close();
  });
});

describe("updateNotice", () => {
  it("names every reason the gateway gives, in both languages, and any other as an update", () => {
    const reasons = [
      "score",
      "finding",
      "rectification",
      "import",
      "unit",
      "group",
      "veto",
      "bonus",
      "ballot",
      "survey-form",
      "scheme",
      "finalised",
      "resync",
      "previous-cycle",
    ];
    for (const lang of ["en", "zh-CN"] as const) {
      const t = translator(lang);
      const texts = reasons.map((r) => updateNotice(r, t));
      // Each its own words, none the key itself.
      expect(new Set(texts).size).toBe(reasons.length);
      for (const text of texts) expect(text).not.toMatch(/live\.|\{reason\}/);
    }
    expect(updateNotice("veto", translator("en"))).toBe(
      "Ranking updated: a veto (一票否决) was recorded or removed",
    );
    expect(updateNotice("veto", translator("zh-CN"))).toBe("排名已更新：一票否决事项已记录或删除");
    // The cycle this one follows was linked, unlinked or had its vetoes changed.
    expect(updateNotice("previous-cycle", translator("en"))).toBe(
      "Ranking updated: the cycle it follows was changed",
    );
    expect(updateNotice("previous-cycle", translator("zh-CN"))).toBe("排名已更新：所接续的周期已更改");
    // A single ballot written or deleted (recordBallot, deleteBallot) moves its unit's vote result.
    expect(updateNotice("ballot", translator("en"))).toBe(
      "Ranking updated: a ballot (票决) was recorded, corrected or removed",
    );
    expect(updateNotice("ballot", translator("zh-CN"))).toBe("排名已更新：票决选票已记录、更正或删除");
    // deleteSurveyForms: a category's, a unit's or a respondent group's forms taken out at once.
    expect(updateNotice("survey-form", translator("en"))).toBe(
      "Ranking updated: survey forms (测评表) were deleted",
    );
    expect(updateNotice("survey-form", translator("zh-CN"))).toBe("排名已更新：测评表已删除");
    expect(updateNotice("something-new", translator("en"))).toBe("Ranking updated");
    expect(updateNotice("something-new", translator("zh-CN"))).toBe("排名已更新");
  });
});

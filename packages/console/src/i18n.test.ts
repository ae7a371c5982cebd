import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memorySessionStorage, REFUSALS, refusedStorage } from "./_test-session-storage";
import { ApiError, gql } from "./api";
import { DICTIONARIES, errorText, initialLang, keepLang, signInErrorText, translator } from "./i18n";
import { everyPage } from "./pages";

describe("translator", () => {
  it("puts names and messages in as they are, whatever characters they hold", () => {
    const t = translator("en");
    // A replacement string would read "$&" and "$'" as patterns; unit names and JSON errors are text.
    expect(t("whatif.overtook", { a: "A$&B", b: "C$'D" })).toBe("A$&B overtook C$'D");
    // One unit's name that looks like a placeholder is not filled in with the other's.
    expect(t("whatif.overtook", { a: "{b}", b: "市审批局" })).toBe("{b} overtook 市审批局");
  });

  it("has every key in both languages", () => {
    expect(Object.keys(DICTIONARIES["zh-CN"]).sort()).toEqual(Object.keys(DICTIONARIES.en).sort());
  });
});

describe("errorText", () => {
  const gatewayMessage =
    "after: the list changed since this cursor was issued (ask for the first page again)";

  it("words a list that kept changing under its re-reads in the console's language, keeping the gateway's message", async () => {
    // What a view is handed once everyPage's fresh starts have run out: every read refused as stale.
    const refused = await everyPage<never>(async () => {
      throw new ApiError(gatewayMessage, "STALE_CURSOR", [{ path: "after", message: "the list changed" }]);
    }).then(
      () => {
        throw new Error("every read was refused, yet the list was read");
      },
      (err: Error) => err,
    );
    expect(errorText(refused, translator("zh-CN"))).toEqual({
      text: "读取期间数据多次变化（可能正在导入数据），请稍后重试。",
      detail: gatewayMessage,
    });
    expect(errorText(refused, translator("en"))).toEqual({
      text: "The data changed while it was being read, several times in a row (an import may be running). Try again in a moment.",
      detail: gatewayMessage,
    });
  });

  it("shows any other error's own message, with nothing kept aside", () => {
    const costly = new ApiError("this query costs too much", "COST_LIMIT");
    expect(errorText(costly, translator("zh-CN"))).toEqual({
      text: "this query costs too much",
      detail: null,
    });
    expect(errorText(new TypeError("Failed to fetch"), translator("en"))).toEqual({
      text: "Failed to fetch",
      detail: null,
    });
  });
});

/** The error gql throws for one reply of the gateway, or of what stands in front of it. */
async function refusal(reply: () => Response | Promise<Response>): Promise<Error> {
  vi.stubGlobal("fetch", vi.fn(reply));
  return gql("{ schemes { schemeId } }", {}, { token: "t" }).then(
    () => {
      throw new Error("the reply was read as data");
    },
    (err: Error) => err,
  );
}

const json = (status: number, message: string, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers });

describe("errorText of refusals made before GraphQL runs", () => {
  beforeEach(() => memorySessionStorage());
  afterEach(() => vi.unstubAllGlobals());

  it("words the gateway's rate limit and its shutting down, keeping its message", async () => {
    const limited = await refusal(() => json(429, "too many requests", "RATE_LIMITED"));
    expect(errorText(limited, translator("zh-CN"))).toEqual({
      text: "短时间内请求过多，请稍候再试。",
      detail: "too many requests",
    });
    expect(errorText(limited, translator("en"))).toEqual({
      text: "Too many requests in a short time. Wait a moment and try again.",
      detail: "too many requests",
    });
    const closing = await refusal(() => json(503, "shutting down", "UNAVAILABLE"));
    expect(errorText(closing, translator("zh-CN"))).toEqual({
      text: "网关暂时不可用（可能正在重启），请稍后重试。",
      detail: "shutting down",
    });
    expect(errorText(closing, translator("en")).text).toBe(
      "The gateway is not available right now (it may be restarting). Try again in a moment.",
    );
  });

  it("says how many seconds the rate limit asks to wait, when the reply says", async () => {
    // As the gateway refuses (server.ts): Retry-After in whole seconds, to the end of its window.
    const limited = (retryAfter: string) => () =>
      json(429, "too many requests", "RATE_LIMITED", { "retry-after": retryAfter });
    const waited = await refusal(limited("42"));
    expect((waited as ApiError).retryAfter).toBe(42);
    expect(errorText(waited, translator("en"))).toEqual({
      text: "Too many requests in a short time. Wait 42 seconds and try again.",
      detail: "too many requests",
    });
    expect(errorText(waited, translator("zh-CN"))).toEqual({
      text: "短时间内请求过多，请于 42 秒后再试。",
      detail: "too many requests",
    });
    expect(errorText(await refusal(limited("1")), translator("en")).text).toBe(
      "Too many requests in a short time. Wait 1 second and try again.",
    );
    expect(errorText(await refusal(limited("1")), translator("zh-CN")).text).toBe(
      "短时间内请求过多，请于 1 秒后再试。",
    );
    // A proxy's own 429 says it the same way.
    const proxied = () =>
      new Response("<html>Too Many Requests</html>", { status: 429, headers: { "retry-after": "7" } });
    expect(errorText(await refusal(proxied), translator("en")).text).toBe(
      "Too many requests in a short time. Wait 7 seconds and try again.",
    );
    // No usable number of seconds (a date, nothing to wait): the plain sentence, still true.
    for (const unknown of ["Wed, 21 Oct 2026 07:28:00 GMT", "0", "soon"]) {
      expect(errorText(await refusal(limited(unknown)), translator("en")).text).toBe(
        "Too many requests in a short time. Wait a moment and try again.",
      );
    }
  });

  it("words a reply that is not the gateway's by its status: a proxy's or dev server's", async () => {
    const html =
      (status: number, statusText = "") =>
      () =>
        new Response("<html>Bad Gateway</html>", { status, statusText });
    const down = (status: number) => ({
      text: `The gateway cannot be reached right now, or is restarting (a proxy in front of it answered HTTP ${status}). Try again shortly.`,
      detail: `HTTP ${status}`,
    });
    for (const status of [502, 503, 504])
      expect(errorText(await refusal(html(status)), translator("en"))).toEqual(down(status));
    expect(errorText(await refusal(html(502)), translator("zh-CN"))).toEqual({
      text: "暂时无法连接网关，或网关正在重启（网关前面的代理返回 HTTP 502）。请稍后重试。",
      detail: "HTTP 502",
    });
    expect(errorText(await refusal(html(429)), translator("zh-CN")).text).toBe(
      "短时间内请求过多，请稍候再试。",
    );
  });

  it("says what a proxy's bare refusal means and what to do about it, in both languages", async () => {
    const bare = (status: number) => () => new Response("<html>nginx</html>", { status });
    const said = async (status: number, lang: "en" | "zh-CN") =>
      errorText(await refusal(bare(status)), translator(lang));
    expect(await said(413, "en")).toEqual({
      text: "What was sent is too large for the gateway, or for a proxy in front of it (HTTP 413). Send less at a time: split a large import into several files.",
      detail: "HTTP 413",
    });
    expect((await said(413, "zh-CN")).text).toBe(
      "发送的内容过大，网关或其前面的代理不予接收（HTTP 413）。请分批发送：把大的导入文件拆成几个文件。",
    );
    expect((await said(404, "en")).text).toBe(
      "The console reached something at the gateway's address, but not the gateway (HTTP 404): the address is wrong, or a proxy in front of the gateway does not pass /graphql on to it. Tell whoever runs the gateway.",
    );
    expect((await said(404, "zh-CN")).text).toContain("没有把 /graphql 转发给网关");
    expect((await said(401, "en")).text).toContain("refused the request as not signed in to it (HTTP 401)");
    expect((await said(401, "zh-CN")).text).toContain("（HTTP 401）");
    expect((await said(403, "en")).text).toContain("this is not about your role in the console");
    expect((await said(403, "zh-CN")).text).toContain("与您在控制台中的角色无关");
    // The gateway's own refusal of a body over its limit is said the same way, its message kept.
    const own = await refusal(() =>
      json(413, "request body larger than 1048576 bytes", "REQUEST_ENTITY_TOO_LARGE"),
    );
    expect(errorText(own, translator("en"))).toEqual({
      text: (await said(413, "en")).text,
      detail: "request body larger than 1048576 bytes",
    });
  });

  it('says any other status with its number and reason phrase, not a bare "HTTP 418"', async () => {
    const teapot = await refusal(
      () => new Response("short and stout", { status: 418, statusText: "I'm a teapot" }),
    );
    expect(errorText(teapot, translator("en"))).toEqual({
      text: "The gateway answered HTTP 418 (I'm a teapot) without saying why: a proxy in front of it may have answered instead. If it keeps happening, tell whoever runs the gateway.",
      detail: "HTTP 418",
    });
    expect(errorText(teapot, translator("zh-CN")).text).toBe(
      "网关返回了 HTTP 418（I'm a teapot），但没有说明原因：可能是网关前面的代理代为应答。如果问题持续，请告知网关的管理人员。",
    );
    // Over HTTP/2 a reply has no reason phrase: the number alone, with no empty brackets.
    const bare = await refusal(() => new Response("", { status: 418 }));
    expect(errorText(bare, translator("en")).text).toBe(
      "The gateway answered HTTP 418 without saying why: a proxy in front of it may have answered instead. If it keeps happening, tell whoever runs the gateway.",
    );
  });

  it("words a failure nothing more is known of as the sign-in screen does, keeping what the reply said", async () => {
    const unknown = {
      en: "Something unexpected went wrong. Try again; if it keeps happening, contact support.",
      zh: "发生了意外错误。请重试；如果问题持续，请联系技术支持。",
    };
    // Something between the console and the gateway failed: the gateway itself answers in JSON.
    const bare = await refusal(() => new Response("<html>Internal Server Error</html>", { status: 500 }));
    expect(errorText(bare, translator("en"))).toEqual({ text: unknown.en, detail: "HTTP 500" });
    expect(errorText(bare, translator("zh-CN"))).toEqual({ text: unknown.zh, detail: "HTTP 500" });
    // The gateway's own failure, which it masks.
    const masked = await refusal(() => json(200, "Unexpected error.", "INTERNAL_SERVER_ERROR"));
    expect(errorText(masked, translator("en"))).toEqual({ text: unknown.en, detail: "Unexpected error." });
    expect(errorText(masked, translator("zh-CN"))).toEqual(signInErrorText(masked, translator("zh-CN")));
    expect(errorText(bare, translator("zh-CN"))).toEqual(signInErrorText(bare, translator("zh-CN")));
  });
});

describe("errorText of a request that gets no reply", () => {
  beforeEach(() => memorySessionStorage());
  afterEach(() => vi.unstubAllGlobals());

  const unreachable = {
    en: "The console cannot reach the gateway. Check your network connection, or whether the gateway is running, and try again.",
    zh: "无法连接到网关。请检查网络连接或网关是否正在运行，然后重试。",
  };

  it("says in every view that the gateway could not be reached, keeping fetch's message", async () => {
    const down = await refusal(() => Promise.reject(new TypeError("Failed to fetch")));
    expect(down).toBeInstanceOf(ApiError);
    expect((down as ApiError).code).toBe("NETWORK");
    expect(errorText(down, translator("zh-CN"))).toEqual({ text: unreachable.zh, detail: "Failed to fetch" });
    expect(errorText(down, translator("en"))).toEqual({ text: unreachable.en, detail: "Failed to fetch" });
  });

  it("says so too when the connection drops while the reply is read, not that HTTP 200 failed", async () => {
    const cut = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"data":{"sche'));
            controller.error(new TypeError("network error"));
          },
        }),
        { status: 200 },
      );
    expect(errorText(await refusal(cut), translator("en"))).toEqual({
      text: unreachable.en,
      detail: "network error",
    });
  });

  it("passes the console's own cancellation on as it is, for the view that cancelled to drop", async () => {
    // As fetch does: the request, or the reading of its reply, is abandoned with the signal's reason.
    const cancelled = async (replied: boolean) => {
      vi.stubGlobal(
        "fetch",
        vi.fn((_url: string, init: RequestInit) => {
          const signal = init.signal as AbortSignal;
          if (!replied)
            return new Promise((_resolve, reject) =>
              signal.addEventListener("abort", () => reject(signal.reason)),
            );
          const body = new ReadableStream({
            start: (controller) => signal.addEventListener("abort", () => controller.error(signal.reason)),
          });
          return Promise.resolve(new Response(body, { status: 200 }));
        }),
      );
      const ctrl = new AbortController();
      const asked = gql("{ schemes { schemeId } }", {}, { token: "t", signal: ctrl.signal });
      await new Promise((r) => setTimeout(r, 0));
      ctrl.abort();
      return asked.then(
        () => null,
        (e: Error) => e,
      );
    };
    for (const replied of [false, true]) {
      const err = await cancelled(replied);
      expect(err).not.toBeInstanceOf(ApiError);
      expect(err?.name).toBe("AbortError");
    }
  });
});

describe("signInErrorText", () => {
  beforeEach(() => memorySessionStorage());
  afterEach(() => vi.unstubAllGlobals());

  it("says the token was refused, not what the gateway's token check said", async () => {
    const refused = await refusal(() =>
      json(401, "invalid token: ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "UNAUTHENTICATED"),
    );
    expect(signInErrorText(refused, translator("zh-CN"))).toEqual({
      text: "网关拒绝了此令牌：令牌有误、已过期，或由其他网关签发。请重新获取令牌。",
      detail: "invalid token: ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    });
    expect(signInErrorText(refused, translator("en"))).toEqual({
      text: "The gateway refused this token: it is mistyped, expired, or was issued by another gateway. Ask for a new one.",
      detail: "invalid token: ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    });
  });

  it("says the gateway could not be reached when fetch gets no reply at all", async () => {
    const down = await refusal(() => Promise.reject(new TypeError("Failed to fetch")));
    expect(signInErrorText(down, translator("zh-CN"))).toEqual({
      text: "无法连接到网关。请检查网络连接或网关是否正在运行，然后重试。",
      detail: "Failed to fetch",
    });
    expect(signInErrorText(down, translator("en")).text).toBe(
      "The console cannot reach the gateway. Check your network connection, or whether the gateway is running, and try again.",
    );
  });

  it("words rate limiting and unavailability as the views do", async () => {
    const limited = await refusal(() => json(429, "too many requests", "RATE_LIMITED"));
    expect(signInErrorText(limited, translator("en"))).toEqual(errorText(limited, translator("en")));
    const waited = await refusal(() =>
      json(429, "too many requests", "RATE_LIMITED", { "retry-after": "30" }),
    );
    expect(signInErrorText(waited, translator("zh-CN"))).toEqual({
      text: "短时间内请求过多，请于 30 秒后再试。",
      detail: "too many requests",
    });
    const closing = await refusal(() => json(503, "shutting down", "UNAVAILABLE"));
    expect(signInErrorText(closing, translator("zh-CN"))).toEqual(errorText(closing, translator("zh-CN")));
  });

  it("words any other failure as unexpected, keeping its message", async () => {
    const masked = await refusal(() => json(200, "Unexpected error.", "INTERNAL_SERVER_ERROR"));
    expect(signInErrorText(masked, translator("zh-CN"))).toEqual({
      text: "发生了意外错误。请重试；如果问题持续，请联系技术支持。",
      detail: "Unexpected error.",
    });
    expect(signInErrorText(masked, translator("en"))).toEqual({
      text: "Something unexpected went wrong. Try again; if it keeps happening, contact support.",
      detail: "Unexpected error.",
    });
    // A bare status is said as the views say it: that much more is known of it.
    const teapot = await refusal(
      () => new Response("I'm a teapot", { status: 418, statusText: "I'm a teapot" }),
    );
    expect(signInErrorText(teapot, translator("en"))).toEqual(errorText(teapot, translator("en")));
    expect(signInErrorText(teapot, translator("en")).detail).toBe("HTTP 418");
  });
});

describe("the language kept", () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(REFUSALS)("is the browser's own where the browser refuses its storage (%s)", (refusal) => {
    vi.stubGlobal("navigator", { language: "zh-CN" });
    refusedStorage(refusal, "localStorage");
    keepLang("en");
    expect(initialLang()).toBe("zh-CN");
  });
});

import { useEffect, useState } from "react";
import { reportUnauthenticated, retryAfterSeconds } from "./api";
import { loadSession } from "./auth";
import type { Translate } from "./i18n";

/** One Server-Sent Event: its type ("message" when the stream names none) and its data lines, joined by "\n". */
export interface SseEvent {
  type: string;
  data: string;
}

/**
 * Reads a text/event-stream as it arrives, by the WHATWG rules: lines end with CRLF, LF or CR
 * (a CRLF may be split between two chunks), `:` lines are comments (the gateway's keep-alives),
 * a blank line ends an event, an event without data is none. Only `event` and `data` are kept:
 * the gateway sends no `id` or `retry`, and reconnecting is the caller's.
 */
export class SseParser {
  private line = "";
  private pendingCr = false;
  private started = false;
  private type = "";
  private data: string | null = null;

  /** The events that `chunk` (decoded text, any length) completes, in order. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith("\uFEFF")) text = text.slice(1);
    }
    // A CR ended the last chunk: an LF starting this one is the same line break.
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    if (chunk.length > 0) this.pendingCr = false;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== "\n" && c !== "\r") continue;
      this.take(this.line + text.slice(start, i), events);
      this.line = "";
      if (c === "\r") {
        if (i + 1 === text.length) this.pendingCr = true;
        else if (text[i + 1] === "\n") i++;
      }
      start = i + 1;
    }
    this.line += text.slice(start);
    return events;
  }

  private take(line: string, events: SseEvent[]): void {
    if (line === "") {
      if (this.data !== null) events.push({ type: this.type || "message", data: this.data });
      this.type = "";
      this.data = null;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.type = value;
    else if (field === "data") this.data = this.data === null ? value : `${this.data}\n${value}`;
  }
}

export interface RankingStreamHandlers {
  /**
   * The stream is open and its first bytes are in: the gateway has registered the subscription
   * by then, so a read started from now on misses no write. Called again on every reconnection.
   */
  onOpen(): void;
  /** The cycle's ranking changed; `reason` names the kind of write (docs/graphql.md, "Live updates"). */
  onUpdate(reason: string): void;
  /** An attempt failed or the open stream dropped; another follows after a pause. */
  onDown?(): void;
}

export interface RankingStreamOptions {
  fetch?: typeof fetch;
  /** The bearer token to connect with, read at every attempt; undefined when the session is over. */
  token?: () => string | undefined;
  onUnauthenticated?: () => void;
  /** Milliseconds to wait after the nth failure in a row (0 for the first). */
  retryDelay?: (failures: number) => number;
  /**
   * Milliseconds without a byte after which the stream is taken for dead and opened again: the
   * gateway sends a keep-alive every 12 s, and a connection lost without a reset (a laptop's
   * sleep, a NAT's timeout) would otherwise stay silent for good.
   */
  silenceMs?: number;
  /** Milliseconds a stream must stay open for the next failure to count as the first again. */
  stableMs?: number;
}

/** 1 s, 2 s, 4 s … up to 30 s, each somewhat shortened at random so that consoles do not reconnect in step. */
export const backoff = (failures: number): number =>
  Math.min(30_000, 1000 * 2 ** failures) * (0.5 + Math.random() / 2);

const SUBSCRIPTION = `subscription LiveRanking($cycleId: ID!) { rankingUpdated(cycleId: $cycleId) { reason } }`;

/** The first GraphQL error code in a reply's body, if it is JSON that has one. */
function errorCode(payload: unknown): string | undefined {
  const errors = (payload as { errors?: { extensions?: { code?: unknown } }[] } | null)?.errors;
  const code = errors?.[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Subscribes to `rankingUpdated(cycleId)` over Server-Sent Events, with the session's bearer
 * token and the console's CSRF header: a `fetch` whose body is read as it streams, since
 * EventSource can send neither header. The ranking itself is not asked for: the console reads
 * the table it shows (a group's, page by page) with its own query. A dropped or refused stream
 * is opened again after a growing pause (a Retry-After is waited out); an expired or refused
 * token ends it and signs out, as any other request would. Returns the function that closes it.
 */
export function watchRanking(
  cycleId: string,
  handlers: RankingStreamHandlers,
  options: RankingStreamOptions = {},
): () => void {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const token = options.token ?? (() => loadSession()?.token);
  const unauthenticated = options.onUnauthenticated ?? reportUnauthenticated;
  const retryDelay = options.retryDelay ?? backoff;
  const silenceMs = options.silenceMs ?? 45_000;
  const stableMs = options.stableMs ?? 30_000;

  let closed = false;
  let ctrl: AbortController | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const close = () => {
    closed = true;
    clearTimeout(retry);
    ctrl?.abort();
  };
  const signOut = () => {
    close();
    unauthenticated();
  };

  const connect = async () => {
    const bearer = token();
    // loadSession() forgets an expired token; the gateway would take the stream without one and
    // say nothing until the next event.
    if (!bearer) return signOut();
    const attempt = new AbortController();
    ctrl = attempt;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const listen = () => {
      clearTimeout(silence);
      silence = setTimeout(() => attempt.abort(), silenceMs);
    };
    let openedAt: number | null = null;
    let waitSeconds: number | null = null;
    try {
      listen();
      const res = await doFetch("/graphql", {
        method: "POST",
        headers: {
          accept: "text/event-stream",
          "content-type": "application/json",
          "x-pingyi-client": "console",
          authorization: `Bearer ${bearer}`,
        },
        body: JSON.stringify({ query: SUBSCRIPTION, variables: { cycleId } }),
        signal: attempt.signal,
      });
      waitSeconds = retryAfterSeconds(res.headers.get("retry-after"));
      if (!(res.headers.get("content-type") ?? "").includes("text/event-stream") || !res.body) {
        // Refused before GraphQL ran (429, 503, CSRF) or answered by something in front of the gateway.
        if (errorCode(parseJson(await res.text())) === "UNAUTHENTICATED") return signOut();
      } else {
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const parser = new SseParser();
        read: for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          listen();
          // A refused token comes as a 401 stream holding the error: it is no open subscription.
          if (openedAt === null && res.ok) {
            openedAt = Date.now();
            handlers.onOpen();
          }
          for (const event of parser.push(decoder.decode(value, { stream: true }))) {
            // The gateway ended the subscription (shutting down): open it again.
            if (event.type === "complete") break read;
            if (event.type !== "next") continue;
            const payload = parseJson(event.data) as { data?: { rankingUpdated?: { reason?: unknown } } };
            if (errorCode(payload) === "UNAUTHENTICATED") return signOut();
            const reason = payload?.data?.rankingUpdated?.reason;
            if (typeof reason === "string") handlers.onUpdate(reason);
          }
        }
        await reader.cancel().catch(() => {});
      }
    } catch {
      // Dropped, unreachable, or silent too long: tried again below, unless closed on purpose.
    } finally {
      clearTimeout(silence);
    }
    if (closed) return;
    attempt.abort();
    if (openedAt !== null && Date.now() - openedAt >= stableMs) failures = 0;
    handlers.onDown?.();
    retry = setTimeout(() => void connect(), Math.max(retryDelay(failures++), (waitSeconds ?? 0) * 1000));
  };

  void connect();
  return close;
}

/** The reasons the gateway gives (docs/graphql.md); another is shown without one. */
const REASONS = [
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
  // Sent on the cycle whose link changed, and on every cycle following it (its carried vetoes).
  "previous-cycle",
  "finalised",
  "resync",
] as const;

/** The notice for an update: "Ranking updated: a veto (一票否决) was recorded or removed". */
export function updateNotice(reason: string, t: Translate): string {
  const known = (REASONS as readonly string[]).includes(reason);
  return known
    ? t("live.updated", { reason: t(`live.reason.${reason as (typeof REASONS)[number]}`) })
    : t("live.updatedOther");
}

export interface LiveRanking {
  /**
   * The cycle whose reads may start: its stream is open, so they miss no write, or its first
   * attempt failed or took too long, and they go ahead without it (a later opening reads again).
   */
  readyFor: string | null;
  /** Goes up on every update and every reopened stream: what was read before is to be read again. */
  revision: number;
  /** The latest update's reason, for a few seconds after it came. */
  notice: { reason: string; seq: number } | null;
}

/** How long the first reads of a cycle wait for its stream to open before going ahead without it. */
const OPEN_WAIT_MS = 1500;
const NOTICE_MS = 10_000;
let noticeSeq = 0;

/**
 * Live updates of a cycle's ranking while a view shows it: reads started before the subscription
 * is registered could miss a write made meanwhile, so they wait for `readyFor`; each update, and
 * each reconnection (events may have been missed while the stream was down), bumps `revision`.
 * The stream is closed when the cycle changes or the view goes (another page, signing out).
 */
export function useLiveRanking(cycleId: string | null): LiveRanking {
  const [readyFor, setReadyFor] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  // Kept with its cycle: the render of another cycle comes before the effect that clears it, and
  // shown then, the previous cycle's notice would pass for the new one's.
  const [notice, setNotice] = useState<{ reason: string; seq: number; cycleId: string } | null>(null);
  useEffect(() => {
    setReadyFor(null);
    setNotice(null);
    if (cycleId === null) return;
    let ready = false;
    const goAhead = (): boolean => {
      if (ready) return false;
      ready = true;
      setReadyFor(cycleId);
      return true;
    };
    const wait = setTimeout(goAhead, OPEN_WAIT_MS);
    const close = watchRanking(cycleId, {
      // The first opening lets the first reads start; any later one finds reads made without
      // a subscription, which are made again.
      onOpen: () => {
        if (!goAhead()) setRevision((r) => r + 1);
      },
      onUpdate: (reason) => {
        setRevision((r) => r + 1);
        setNotice({ reason, seq: ++noticeSeq, cycleId });
      },
      onDown: () => void goAhead(),
    });
    return () => {
      clearTimeout(wait);
      close();
    };
  }, [cycleId]);
  useEffect(() => {
    if (!notice) return;
    const hide = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(hide);
  }, [notice]);
  return { readyFor, revision, notice: notice?.cycleId === cycleId ? notice : null };
}

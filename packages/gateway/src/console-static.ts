import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Paths the gateway itself answers; never shadowed by a console file. */
const GATEWAY_PATHS = ["/graphql", "/health", "/ready"];

// Vite names built assets `name-<8+ char hash>.ext`: safe to cache for good.
const HASHED = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

// The console talks only to its own origin; ECharts and React set inline styles.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Serves the built console (`dir`, e.g. `consoleDir()` from `@pingyi/console/serve`) for GET and
 * HEAD requests. Resolves to false when the request is not the console's — another method, a
 * gateway path (/graphql, /health, /ready), or no console built (`dir` null) — so the caller
 * passes it on. Unknown paths without an extension get index.html when a browser asks for a page
 * (the console routes by hash, but a bookmarked `/rankings` should still open it), 404 otherwise;
 * files outside `dir` are never read.
 */
export function createConsoleHandler(dir: string | null): ConsoleHandler {
  const root = dir ? realpath(resolve(dir)).catch(() => null) : Promise.resolve(null);
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const base = await root;
    if (!base) return false;
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      return send(res, req, 400, "bad path");
    }
    if (GATEWAY_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return false;
    if (path.includes("\0") || path.split("/").includes("..")) return send(res, req, 400, "bad path");
    const file = await locate(base, path === "/" ? "/index.html" : path);
    if (file) return sendFile(res, req, file, HASHED.test(path));
    if (extname(path) !== "") return send(res, req, 404, "not found");
    // Only a browser asking for a page gets the console for an unknown path: a probe or monitor
    // mistyping /healthz or /metrics must see 404, not a 200 that reads as healthy.
    if (!String(req.headers.accept ?? "").includes("text/html")) return send(res, req, 404, "not found");
    const index = await locate(base, "/index.html");
    return index ? sendFile(res, req, index, false) : send(res, req, 404, "not found");
  };
}

/** The real path of `base + path` when it is a regular file inside `base`; null otherwise. */
async function locate(base: string, path: string): Promise<string | null> {
  try {
    // Symlinks are resolved before the containment check, so a link cannot lead out of `base`.
    const real = await realpath(join(base, path));
    if (real !== base && !real.startsWith(base + sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

async function sendFile(
  res: ServerResponse,
  req: IncomingMessage,
  file: string,
  immutable: boolean,
): Promise<true> {
  const info = await stat(file);
  const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
  const headers: Record<string, string | number> = {
    "content-type": type,
    "content-length": info.size,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    // index.html must be revalidated so a new build's hashed assets are picked up.
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (type.startsWith("text/html")) {
    headers["content-security-policy"] = CSP;
    headers["x-frame-options"] = "DENY";
  }
  res.writeHead(200, headers);
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(file);
    stream.on("error", () => {
      res.destroy();
      done();
    });
    res.on("close", done);
    stream.pipe(res);
  });
  return true;
}

function send(res: ServerResponse, req: IncomingMessage, status: number, text: string): true {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-content-type-options": "nosniff",
  });
  res.end(req.method === "HEAD" ? undefined : text);
  return true;
}

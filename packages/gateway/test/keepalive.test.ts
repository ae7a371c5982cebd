import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET, testCli } from "./helpers.js";

const BIN = testCli();

/**
 * The kernel's view of one TCP connection on this machine (Linux): whether its keepalive timer
 * runs, and in how long it fires. A socket without SO_KEEPALIVE has no timer while idle.
 */
function tcpTimer(localPort: number, remotePort: number): { timer: number; seconds: number } | undefined {
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 6) continue;
      const port = (address: string) => Number.parseInt(address.split(":").at(-1)!, 16);
      if (port(f[1]!) !== localPort || port(f[2]!) !== remotePort) continue;
      const [timer, when] = f[5]!.split(":");
      // tm->when is in clock ticks, USER_HZ, which is 100 on Linux.
      return { timer: Number.parseInt(timer!, 16), seconds: Number.parseInt(when!, 16) / 100 };
    }
  }
  return undefined;
}

/**
 * Subscriptions stay open for hours through NATs and load balancers that forget a connection
 * after a few idle minutes without telling either end.
 */
describe("long-lived connections", () => {
  let child: ChildProcess;
  let url: URL;
  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, "serve"], {
      env: {
        ...process.env,
        // Not "test": graphql-yoga pings every 300 ms under NODE_ENV=test, and the interval
        // checked here is the one a deployed gateway uses.
        NODE_ENV: "development",
        PORT: "0",
        PINGYI_DATA_DIR: "memory://",
        PINGYI_JWT_SECRET: SECRET,
        PINGYI_RATE_LIMIT: "0",
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    url = await new Promise<URL>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => {
        output += d.toString();
        const m = /listening on (http:\/\/\S+?)\/graphql/.exec(output);
        if (m) resolve(new URL(m[1]!));
      });
      child.on("exit", (code) => reject(new Error(`the gateway exited (${code}): ${output}`)));
    });
  }, 60_000);
  afterAll(() => {
    child?.kill("SIGTERM");
  });

  it.skipIf(!existsSync("/proc/net/tcp"))(
    "an accepted connection has TCP keepalive before it sends a request",
    async () => {
      const socket = connect(Number(url.port), url.hostname);
      try {
        await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
        await new Promise((r) => setTimeout(r, 200));
        const kernel = tcpTimer(Number(url.port), socket.localPort!);
        expect(kernel, "the server's socket in /proc/net/tcp").toBeDefined();
        expect(kernel!.timer, "timer 2 is keepalive; 0 means SO_KEEPALIVE is off").toBe(2);
        expect(kernel!.seconds).toBeLessThanOrEqual(60);
      } finally {
        socket.destroy();
      }
    },
  );

  it("keeps an idle keep-alive connection longer than a proxy in front keeps its own", async () => {
    const res = await fetch(new URL("/health", url));
    await res.arrayBuffer();
    // 60 s is nginx's and AWS's load balancer's idle timeout; Node's own default is 5 s.
    expect(res.headers.get("keep-alive")).toBe("timeout=65");
  });

  it("an SSE subscription gets TCP keepalive on its socket and a comment heartbeat within 12 s", async () => {
    const token = await new SignJWT({ role: "viewer" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("viewer-1")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(SECRET));
    const body = JSON.stringify({ query: `subscription { rankingUpdated(cycleId: "2019") { reason } }` });
    const chunks: { at: number; text: string }[] = [];
    const req = request(new URL("/graphql", url), {
      method: "POST",
      headers: {
        accept: "text/event-stream",
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        authorization: `Bearer ${token}`,
      },
    });
    try {
      const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
        req.on("response", resolve).on("error", reject);
        req.end(body);
      });
      expect(res.statusCode).toBe(200);
      const opened = performance.now();
      const isPing = (c: { text: string }) => c.text.includes(":\n\n") && !c.text.includes("event:");
      // The heartbeat after the first, waited for no longer than the 14 s this test once slept.
      let timer: NodeJS.Timeout | undefined;
      const heartbeat = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 14_000);
        res.setEncoding("utf8");
        res.on("data", (text: string) => {
          const chunk = { at: performance.now(), text };
          chunks.push(chunk);
          if (isPing(chunk) && chunk.at - opened > 1000) resolve();
        });
      });

      if (existsSync("/proc/net/tcp")) {
        // The server's end: its local port is the gateway's, its peer this request's socket.
        const kernel = tcpTimer(Number(url.port), res.socket.localPort!);
        expect(kernel, "the server's socket in /proc/net/tcp").toBeDefined();
        expect(kernel!.timer, "timer 2 is keepalive; 0 means SO_KEEPALIVE is off").toBe(2);
        // graphql-yoga's server adapter turns keepalive on for the requests it handles, at the
        // kernel's default delay of two hours, which outlasts every NAT's idle timeout.
        expect(kernel!.seconds).toBeLessThanOrEqual(60);
      }

      // graphql-yoga writes ":" at once and then every 12 s, with no events to send.
      await heartbeat;
      clearTimeout(timer);
      const pings = chunks.filter(isPing);
      expect(pings.length, JSON.stringify(chunks)).toBeGreaterThanOrEqual(2);
      const later = pings.find((c) => c.at - opened > 1000);
      expect(later, "a heartbeat after the first").toBeDefined();
      expect(later!.at - opened).toBeLessThan(13_500);
    } finally {
      req.destroy();
    }
  }, 30_000);
});

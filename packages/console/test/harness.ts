import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe } from "vitest";
import { createConsoleHandler } from "../../gateway/src/console-static.js";
import { startTestServer, type TestServer } from "../../gateway/test/helpers.js";
import { consoleDir } from "../serve.js";

export const CHROMIUM = process.env.PINGYI_CHROMIUM ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const inCi = process.env.CI === "true";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Builds the console into dist/ (about 3 s) so tests run what the gateway serves; or into
 * `outDir`, for a test file run beside another: each build empties its directory before writing
 * it, which would pull the other file's pages from under it.
 */
export async function buildConsole(outDir?: string): Promise<string> {
  // Vitest sets NODE_ENV=test and vite would bake it in: React's development build, whose
  // StrictMode runs every effect twice (each card's request went out twice) and which
  // `pnpm start` then served, the build being newer than its sources. The production build, then.
  const was = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      root,
      configFile: `${root}/vite.config.ts`,
      logLevel: "silent",
      ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}),
    });
  } finally {
    // Assigning undefined would leave the text "undefined".
    if (was === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = was;
  }
  const dir = outDir ?? consoleDir();
  if (!dir || !existsSync(`${dir}/index.html`))
    throw new Error(`vite build produced no ${outDir ?? "dist"}/index.html`);
  return dir;
}

/** Whether the gateway's own server already serves the console (server.ts wired to console-static). */
const gatewayServesConsole = () =>
  readFileSync(fileURLToPath(new URL("../../gateway/src/server.ts", import.meta.url)), "utf8").includes(
    "console-static",
  );

export interface Stack {
  gateway: TestServer;
  /** Where the browser goes: the gateway itself once it serves the console, else a small proxy. */
  url: string;
  close(): Promise<void>;
}

/**
 * A seeded test gateway, and the console in front of it: the one in dist/, or the one built into
 * `options.consoleDir` (buildConsole's `outDir`), served beside the gateway.
 */
export async function startStack(options: { consoleDir?: string } = {}): Promise<Stack> {
  const gateway = await startTestServer();
  if (!options.consoleDir && gatewayServesConsole())
    return { gateway, url: gateway.url, close: () => gateway.close() };
  const serve = createConsoleHandler(options.consoleDir ?? consoleDir());
  const target = new URL(gateway.url);
  const server = createServer((req, res) => {
    if ((req.url ?? "").startsWith("/graphql")) {
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
      return;
    }
    void serve(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    gateway,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await gateway.close();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** What a file's Chromium tests drive, once their describe's first beforeAll has run. */
export interface Bench {
  readonly stack: Stack;
  readonly browser: Browser;
}

/**
 * `describe(subject)` in Chromium, against a seeded gateway and a console built for the file alone
 * (another file's build into dist/ may be running meanwhile), both started before the tests' own
 * beforeAll and closed after their afterAll. Outside CI a machine without Chromium skips it; in CI
 * that would hide the console's tests, so there it fails instead.
 */
export function describeInChromium(subject: string, tests: (bench: Bench) => void): void {
  const title = hasChromium
    ? `${subject}, in Chromium`
    : `${subject} (SKIPPED: ${CHROMIUM} not installed; apt-get install chromium)`;
  describe.skipIf(!hasChromium && !inCi)(title, () => {
    let stack: Stack | undefined;
    let browser: Browser | undefined;
    let built: string | undefined;
    beforeAll(async () => {
      if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run must install it`);
      built = await buildConsole(mkdtempSync(join(tmpdir(), "pingyi-console-")));
      [stack, browser] = await Promise.all([startStack({ consoleDir: built }), launchChromium()]);
    });
    afterAll(async () => {
      await browser?.close();
      await stack?.close();
      if (built) rmSync(built, { recursive: true, force: true });
    });
    const started = <T>(what: T | undefined, name: string): T => {
      if (what === undefined) throw new Error(`${name} is not started: read it in a hook or a test`);
      return what;
    };
    tests({
      get stack() {
        return started(stack, "stack");
      },
      get browser() {
        return started(browser, "browser");
      },
    });
  });
}

/** Opens the console and signs in by pasting a freshly minted token, as a user would. */
export async function signIn(
  browser: Browser,
  stack: Stack,
  role: "viewer" | "analyst" | "admin",
  options: { lang?: "zh-CN" | "en"; path?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: options.lang ?? "zh-CN",
    viewport: options.viewport ?? { width: 1400, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  await page.goto(`${stack.url}/${options.path ?? ""}`);
  await signInAgain(page, await stack.gateway.token(role, `${role}-1`));
  await page.getByTestId("role").waitFor();
  return page;
}

/** Signs in on the sign-in screen the page shows, by pasting `token` as a user would. */
export async function signInAgain(page: Page, token: string): Promise<void> {
  await page.locator("textarea[name=token]").fill(token);
  await page.locator("form.login button[type=submit]").click();
}

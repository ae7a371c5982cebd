import type { Browser, Page } from "playwright-core";
import { type Stack, signIn } from "./harness.js";

type Role = "viewer" | "analyst" | "admin";
type Options = NonNullable<Parameters<typeof signIn>[3]>;

interface Kept {
  key: string;
  role: Role;
  viewport: { width: number; height: number };
}

/** Where a tab waits between tests: a page of the console's origin with no script at all. */
const PARKED = "/__parked-between-tests";

/**
 * Signed-in tabs kept from one test to the next. A new browser context, its first page (a new
 * renderer process) and the sign-in form cost about 3 s of CPU per test on a loaded 2-core
 * machine, more than most tests' own steps; a kept tab costs one page load, from its HTTP cache.
 *
 * A tab goes back only as clean as a new one would be for what the console keeps: its routes and
 * the listeners tests add are removed, its sessionStorage and localStorage hold nothing but the
 * token that signing in wrote, its viewport is the one asked for, and every test opens it with a
 * full page load. What cannot be undone (an init script on the context, for one) needs a tab of
 * its own: `signIn` from the harness, then closing its context.
 */
export class SignedInTabs {
  private readonly idle = new Map<string, Page[]>();
  private readonly kept = new Map<Page, Kept>();
  private readonly lent = new Set<Page>();

  constructor(
    private readonly browser: Browser,
    private readonly stack: Stack,
  ) {}

  /** A tab signed in as `role` (`${role}-1`), showing `options.path` after a full page load. */
  async open(role: Role, options: Options = {}): Promise<Page> {
    const viewport = options.viewport ?? { width: 1400, height: 900 };
    const key = JSON.stringify([role, options.lang ?? "zh-CN", viewport]);
    let page = this.idle.get(key)?.pop();
    if (page) {
      this.lent.add(page);
      await page.goto(`${this.stack.url}/${options.path ?? ""}`);
      await page.getByTestId("role").waitFor();
    } else {
      page = await signIn(this.browser, this.stack, role, options);
      this.kept.set(page, { key, role, viewport });
      this.lent.add(page);
    }
    return page;
  }

  /** Takes a tab back once its test is done with it; one that cannot be made clean is closed. */
  async putBack(page: Page): Promise<void> {
    this.lent.delete(page);
    const kept = this.kept.get(page);
    if (!kept || page.isClosed()) return;
    try {
      await page.unrouteAll({ behavior: "ignoreErrors" });
      for (const event of ["dialog", "request", "requestfailed", "response"] as const)
        page.removeAllListeners(event);
      // Storage is the origin's: cleared from a page of that origin once the console's own
      // script is gone, so that nothing it does on leaving can write there again.
      await page.route(`${this.stack.url}${PARKED}`, (route) =>
        route.fulfill({ contentType: "text/html", body: "<!doctype html><title>parked</title>" }),
      );
      await page.goto(`${this.stack.url}${PARKED}`);
      await page.unrouteAll();
      const token = await this.stack.gateway.token(kept.role, `${kept.role}-1`);
      await page.evaluate((t) => {
        sessionStorage.clear();
        localStorage.clear();
        sessionStorage.setItem("pingyi.token", t);
      }, token);
      await page.setViewportSize(kept.viewport);
      const idle = this.idle.get(kept.key) ?? [];
      idle.push(page);
      this.idle.set(kept.key, idle);
    } catch {
      this.kept.delete(page);
      await page.context().close();
    }
  }

  /** Closes the tabs still lent out: a test that failed midway, whose tab is in no known state. */
  async closeLent(): Promise<void> {
    const lent = [...this.lent];
    this.lent.clear();
    for (const page of lent) {
      this.kept.delete(page);
      await page.context().close();
    }
  }
}

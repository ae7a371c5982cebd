import type { Page, Route } from "playwright-core";
import { expect } from "vitest";

/** The gateway's answer to a token that has run out. */
const refuse = (route: Route) =>
  route.fulfill({
    json: { errors: [{ message: "token expired", extensions: { code: "UNAUTHENTICATED" } }] },
  });

/**
 * The token runs out just before `trigger`: the request it sends is refused and the sign-in
 * screen takes the page's place, saying `said` (the console's language). The gateway answers
 * again afterwards, for signing in again.
 */
export async function expireSession(
  page: Page,
  trigger: () => Promise<unknown>,
  said = "会话已结束",
): Promise<void> {
  await page.route("**/graphql", refuse);
  await trigger();
  await expect.poll(() => page.getByRole("alert").textContent()).toContain(said);
  // Only this refusal: a route the test set before stays.
  await page.unroute("**/graphql", refuse);
}

// Regenerates docs/screenshots/*.png from a seeded gateway in Debian's Chromium:
//   node --conditions=@pingyi/source --import tsx packages/console/scripts/screenshots.ts
// Chinese text needs a CJK font on the machine (Debian: fonts-noto-cjk).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { buildConsole, launchChromium, signIn, startStack } from "../test/harness.js";

const out = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));
mkdirSync(out, { recursive: true });

await buildConsole();
const stack = await startStack();
const browser = await launchChromium();
const shot = async (page: Page, name: string, fullPage = false) => {
  await page.waitForTimeout(600); // debounce and chart layout
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${out}${name}.png`, fullPage });
  process.stdout.write(`docs/screenshots/${name}.png\n`);
};
try {
  const viewport = { width: 1440, height: 900 };
  const login = await (await browser.newContext({ locale: "zh-CN", viewport })).newPage();
  await login.goto(stack.url);
  await login.locator("textarea[name=token]").waitFor();
  await shot(login, "login");

  const analyst = await signIn(browser, stack, "analyst", {
    viewport,
    path: "#/rankings?cycle=2018&unit=U09",
  });
  await analyst.getByTestId("trace").waitFor();
  await analyst
    .locator("[data-testid=unit-panel] details")
    .nth(2)
    .evaluate((d) => ((d as HTMLDetailsElement).open = true));
  await shot(analyst, "rankings");
  await analyst.goto(`${stack.url}/#/rankings?cycle=2018&compare=U09,U26`);
  await analyst.getByTestId("compare-panel").locator("table").waitFor();
  await shot(analyst, "compare");

  await analyst.goto(`${stack.url}/#/whatif?cycle=2018&unit=U09`);
  await analyst.getByTestId("input-public").fill("50");
  await analyst.getByTestId("input-organ").fill("20");
  await analyst.getByTestId("why").locator("[data-testid=swaps]").waitFor();
  await shot(analyst, "whatif", true);

  await analyst.goto(`${stack.url}/#/robustness?cycle=2018&unit=U09`);
  await analyst.getByTestId("sweep-segments").waitFor();
  await analyst.getByTestId("mc-chart").waitFor();
  await shot(analyst, "robustness", true);

  const admin = await signIn(browser, stack, "admin", {
    viewport: { width: 1440, height: 1300 },
    path: "#/rules",
  });
  await admin.getByTestId("diff").waitFor();
  const draft = admin.getByTestId("draft-json");
  await draft.fill((await draft.inputValue()).replace(/"points": 50/, '"points": 45'));
  await admin.getByTestId("preview").click();
  await admin.getByTestId("impact").waitFor();
  await shot(admin, "rules", true);
} finally {
  await browser.close();
  await stack.close();
}

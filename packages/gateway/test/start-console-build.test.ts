import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * `pnpm start` decides whether to build the console. The repository's layout in a temporary
 * directory: the script itself, a pnpm (the one `pnpm start` runs the script with, named by
 * npm_execpath) and an `npx` on PATH that record what they were asked, and a gateway whose `serve`
 * only says so, so that no real build or gateway runs here.
 */
describe("pnpm start's console build (scripts/start.mjs)", () => {
  let root: string;
  const consoleDir = () => join(root, "packages/console");
  const built = () => join(consoleDir(), "dist/index.html");
  const asked = () => join(root, "build-asked");

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "pingyi-start-build-"));
    await mkdir(join(root, "scripts"));
    await copyFile(join(repo, "scripts/start.mjs"), join(root, "scripts/start.mjs"));
    await mkdir(join(root, "bin"));
    await writeFile(
      join(root, "bin/npx"),
      `#!/bin/sh\necho "$@" > "${asked()}"\nexit "\${FAKE_BUILD_STATUS:-0}"\n`,
    );
    await chmod(join(root, "bin/npx"), 0o755);
    await writeFile(
      join(root, "bin/pnpm.cjs"),
      `require("node:fs").writeFileSync(${JSON.stringify(asked())}, "pnpm " + process.argv.slice(2).join(" "));\nprocess.exit(Number(process.env.FAKE_BUILD_STATUS ?? 0));\n`,
    );
    await mkdir(join(root, "packages/gateway/src/cli"), { recursive: true });
    // tsx, which the script starts the gateway with, is the workspace root's.
    await symlink(join(repo, "node_modules"), join(root, "node_modules"), "dir");
    await writeFile(join(root, "packages/gateway/src/cli/main.ts"), 'console.log("gateway started");\n');
    await mkdir(join(consoleDir(), "src/views"), { recursive: true });
    await mkdir(join(consoleDir(), "dist"), { recursive: true });
    await writeFile(join(consoleDir(), "src/views/page.tsx"), "export {};\n");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const start = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(root, "scripts/start.mjs")], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${join(root, "bin")}:${process.env.PATH}`,
        npm_execpath: join(root, "bin/pnpm.cjs"),
        ...env,
      },
      encoding: "utf8",
      timeout: 30_000,
    });
  const age = (path: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    return utimes(path, t, t);
  };

  it("leaves a build newer than every console source alone", async () => {
    await writeFile(built(), "<!doctype html>");
    await age(join(consoleDir(), "src/views/page.tsx"), 60);
    const r = start();
    expect(r.stdout).toContain("gateway started");
    expect(existsSync(asked())).toBe(false);
  });

  it("builds when a source file changed after the build (a git pull)", async () => {
    await writeFile(built(), "<!doctype html>");
    await age(built(), 60);
    const r = start();
    expect(r.stdout).toContain("gateway started");
    expect(existsSync(asked())).toBe(true);
  });

  it("builds when there is no build, with the pnpm that runs it", async () => {
    const r = start();
    expect(r.stdout).toContain("gateway started");
    // Not npx inside pnpm's environment, which warns of every pnpm setting it does not know.
    expect(readFileSync(asked(), "utf8")).toBe("pnpm --filter @pingyi/console build");
    expect(r.stderr).not.toContain("npm warn");
  });

  it("builds through npx when no pnpm runs it (node scripts/start.mjs)", async () => {
    const r = start({ npm_execpath: "" });
    expect(r.stdout).toContain("gateway started");
    expect(readFileSync(asked(), "utf8")).toBe("-y pnpm@10 --filter @pingyi/console build\n");
  });

  it("serves the earlier build, saying so, when the rebuild fails", async () => {
    await writeFile(built(), "<!doctype html>");
    await age(built(), 60);
    const r = start({ FAKE_BUILD_STATUS: "1" });
    expect(r.stderr).toContain("serving the build made before them");
    expect(r.stdout).toContain("gateway started");
  });
});

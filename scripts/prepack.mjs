#!/usr/bin/env node
// Every publishable package's `prepack`: refuses npm, then builds the package.
// npm ignores `publishConfig.exports` and keeps `workspace:` ranges, so an npm-packed tarball
// points its exports at src/ (not shipped) and depends on versions no registry has. pnpm applies
// both. The build runs through the package manager running this script (npm_execpath), so it
// works when pnpm is reached only through npx and is not on PATH.
import { spawnSync } from "node:child_process";

const agent = process.env.npm_config_user_agent ?? "";
const name = process.env.npm_package_name ?? "this package";
if (!agent.startsWith("pnpm/")) {
  console.error(
    `${name}: pack and publish it with pnpm (npx -y pnpm@10 pack, npx -y pnpm@10 publish), not npm: ` +
      "npm would ship the workspace-only exports and workspace: ranges, and the tarball would not install. " +
      "See Releasing in the repository README.",
  );
  process.exit(1);
}
// npm_execpath is pnpm's JavaScript entry point, or the binary of a standalone pnpm.
const pnpm = process.env.npm_execpath ?? "";
const build = /\.[cm]?js$/.test(pnpm)
  ? spawnSync(process.execPath, [pnpm, "run", "build"], { stdio: "inherit" })
  : spawnSync(pnpm || "pnpm", ["run", "build"], { stdio: "inherit", shell: !pnpm });
process.exit(build.status ?? 1);

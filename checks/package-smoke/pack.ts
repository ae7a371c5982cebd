/**
 * Builds and packs a workspace package the way it is published, then installs the tarball
 * into a throwaway npm project in the system temp dir, where no workspace link, source
 * condition or hoisted dependency can hide a packaging mistake.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PackedPackage } from "./manifest-checks.js";

export const workspaceRoot: string = join(import.meta.dirname, "..", "..");

// pnpm passes its own npm_* variables to scripts; npm would read some of them as config.
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/^npm_(package|lifecycle|config_(user_agent|frozen_lockfile|node_gyp))/i.test(k)) delete env[k];
  return env;
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, {
    cwd,
    env: cleanEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** `pnpm pack` (its prepack script builds dist; publishConfig is applied). Returns the .tgz path. */
export function pack(packageDir: string, into: string): string {
  run("npx", ["-y", "pnpm@10", "pack", "--pack-destination", into], join(workspaceRoot, packageDir));
  const tgz = readdirSync(into).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`pnpm pack wrote no tarball into ${into}`);
  return join(into, tgz);
}

/** The tarball's contents, extracted (tar is on every CI image we use). */
export function unpack(tarball: string, into: string): PackedPackage {
  run("tar", ["-xzf", tarball, "-C", into], into);
  const root = join(into, "package");
  const files = (readdirSync(root, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((d) => d.isFile())
    .map((d) =>
      join(d.parentPath, d.name)
        .slice(root.length + 1)
        .replaceAll("\\", "/"),
    )
    .sort();
  return {
    manifest: JSON.parse(readFileSync(join(root, "package.json"), "utf8")),
    files,
    read: (p) => readFileSync(join(root, p), "utf8"),
  };
}

/**
 * A fresh ESM project with the tarball (or several, installed together so that they satisfy
 * each other) installed by npm from the registry, plus `fixtures`.
 */
export function consumerProject(tarball: string | string[], fixtures: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "pingyi-consumer-"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  for (const [name, from] of Object.entries(fixtures)) cpSync(from, join(dir, name));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...[tarball].flat()], dir);
  return dir;
}

/** Runs the workspace's TypeScript compiler; returns its diagnostics ("" when clean). */
export function typecheck(projectDir: string): string {
  const tsc = join(workspaceRoot, "node_modules", "typescript", "bin", "tsc");
  try {
    run(process.execPath, [tsc, "-p", projectDir], projectDir);
    return "";
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ""}${err.stderr ?? ""}` || String(e);
  }
}

/** npm itself, as a user who forgot the release path would run it. */
export function npm(cwd: string, args: string[]): string {
  return run("npm", args, cwd);
}

export function nodeRun(projectDir: string, script: string): string {
  return run(process.execPath, [script], projectDir);
}

export function remove(...dirs: string[]): void {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

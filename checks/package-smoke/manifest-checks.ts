/**
 * Hand-written checks in the spirit of publint and are-the-types-wrong, run on a packed
 * tarball's contents: what npm consumers actually get, not the workspace's package.json.
 */
export interface PackedPackage {
  manifest: Record<string, unknown>;
  /** Paths inside the tarball, relative to its package/ folder, with forward slashes. */
  files: readonly string[];
  read(path: string): string;
}

type Exports = string | null | { [key: string]: Exports };

const normalise = (p: string) => p.replace(/^\.\//, "");

/** Every (condition path, target) in an exports map, e.g. ['. > types', './dist/index.d.ts']. */
function targets(exp: Exports, at: string): [string, string][] {
  if (exp === null) return [];
  if (typeof exp === "string") return [[at, exp]];
  return Object.entries(exp).flatMap(([k, v]) => targets(v, at ? `${at} > ${k}` : k));
}

function conditionObjects(exp: Exports, at: string): [string, Record<string, Exports>][] {
  if (exp === null || typeof exp === "string") return [];
  const keys = Object.keys(exp);
  const isConditions = keys.length > 0 && !keys[0]!.startsWith(".");
  const own: [string, Record<string, Exports>][] = isConditions ? [[at, exp]] : [];
  return [...own, ...keys.flatMap((k) => conditionObjects(exp[k]!, at ? `${at} > ${k}` : k))];
}

/**
 * Relative and bare specifiers of static and dynamic imports/exports in an ES module. Comments
 * are dropped first: prose such as "the import's transaction" would otherwise read as an import.
 * A side-effect import starts a statement: "removed import '…'" inside a message is text.
 */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const re =
    /(?:^|[\s;}])(?:import|export)\s[^'"`;]*?\sfrom\s*["']([^"']+)["']|(?:^|[;}])[ \t]*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;
  const found: string[] = [];
  for (let m = re.exec(code); m; m = re.exec(code)) found.push((m[1] ?? m[2] ?? m[3])!);
  return found;
}

const packageName = (spec: string) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

/**
 * Problems found; empty when the package is fit to publish. `pure` forbids `node:` imports
 * (the engine runs in browsers and workers too).
 */
export function checkPackedPackage(pkg: PackedPackage, options: { pure?: boolean } = {}): string[] {
  const { manifest: m, files } = pkg;
  const has = new Set(files);
  const problems: string[] = [];

  if (m.type !== "module") problems.push(`"type" is ${JSON.stringify(m.type)}, not "module"`);
  if (m.sideEffects !== false) problems.push(`"sideEffects" is ${JSON.stringify(m.sideEffects)}, not false`);
  if (!m.engines || typeof (m.engines as Record<string, unknown>).node !== "string")
    problems.push(`no "engines.node"`);
  if (typeof m.types === "string" && !has.has(normalise(m.types)))
    problems.push(`"types" points at missing ${m.types}`);

  const exp = m.exports as Exports | undefined;
  if (exp === undefined) problems.push(`no "exports" map`);
  else {
    for (const [at, target] of targets(exp, "")) {
      if (!has.has(normalise(target)))
        problems.push(`exports ${at} points at ${target}, which is not in the tarball`);
    }
    for (const [at, conditions] of conditionObjects(exp, "")) {
      const keys = Object.keys(conditions);
      // TypeScript takes the first matching condition: "types" after "import" or "default" is
      // never read. Only a condition pointing at TypeScript source (which types itself) may precede it.
      const beforeTypes = keys.slice(0, Math.max(0, keys.indexOf("types")));
      if (
        beforeTypes.some(
          (k) => !/\.[cm]?ts$/.test(String(conditions[k])) || /\.d\.[cm]?ts$/.test(String(conditions[k])),
        )
      ) {
        problems.push(`exports ${at}: "types" is not the first condition`);
      }
      if (keys.includes("default") && keys.at(-1) !== "default")
        problems.push(`exports ${at}: "default" is not the last condition`);
      const js = conditions.default ?? conditions.import;
      if (typeof js === "string" && js.endsWith(".js") && !keys.includes("types")) {
        const dts = normalise(js).replace(/\.js$/, ".d.ts");
        if (!has.has(dts)) problems.push(`exports ${at}: no "types" condition and no ${dts} beside ${js}`);
      }
    }
  }

  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [name, range] of Object.entries((m[field] ?? {}) as Record<string, string>)) {
      if (/^(workspace|link|file|portal):/.test(range))
        problems.push(`${field}.${name} is "${range}", unusable outside the workspace`);
    }
  }
  for (const f of files) {
    if (/(^|\/)(_test-[^/]*|[^/]*\.test\.[cm]?[jt]s|_bench[^/]*|[^/]*\.bench\.[cm]?[jt]s)$/.test(f))
      problems.push(`test or bench file shipped: ${f}`);
    if (/\.d\.ts\.map$/.test(f)) {
      const map = JSON.parse(pkg.read(f)) as { sources?: string[] };
      for (const s of map.sources ?? []) {
        const target = new URL(s, `file:///${f}`).pathname.slice(1);
        if (!has.has(target)) problems.push(`${f} maps to ${target}, which is not in the tarball`);
      }
    }
  }

  // Every import resolves inside the tarball (ESM needs full relative paths) or to a declared
  // dependency; every declared dependency is imported somewhere (no dead weight for installers).
  const declared = new Set(Object.keys((m.dependencies ?? {}) as Record<string, string>));
  const used = new Set<string>();
  for (const f of files.filter((f) => /\.(m?js|d\.ts)$/.test(f))) {
    for (const spec of importSpecifiers(pkg.read(f))) {
      if (spec.startsWith(".")) {
        const target = new URL(spec, `file:///${f}`).pathname.slice(1);
        if (!has.has(target)) problems.push(`${f} imports ${spec}, which is not in the tarball`);
      } else if (spec.startsWith("node:")) {
        if (options.pure) problems.push(`${f} imports ${spec}, but the package must not depend on Node`);
      } else {
        used.add(packageName(spec));
        if (!declared.has(packageName(spec)))
          problems.push(`${f} imports ${spec}, which is not a dependency`);
      }
    }
  }
  for (const d of declared) if (!used.has(d)) problems.push(`dependency ${d} is never imported`);
  return problems;
}

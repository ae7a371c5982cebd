/**
 * Small benchmark helpers: medians of repeated runs, child processes for memory figures
 * (a child's peak RSS is its own, untouched by other benches), and aligned tables.
 */
import { spawnSync } from "node:child_process";

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const SETTLE_MS = Number(process.env.PINGYI_BENCH_SETTLE_MS ?? 200);
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Collects garbage, then idles the main thread while V8 finishes sweeping the collected
 * heap on its helper threads. Without the pause the sweeping of a ~1 GB heap overlapped
 * the next timed run and, on two cores, inflated a millisecond-scale run 3–10× (measured:
 * 45 ms instead of 5 ms for the same stage-two call; with --no-concurrent-sweeping the
 * inflation disappears), which timed V8's sweeper rather than the code.
 */
export function settle(): void {
  gc();
  if (SETTLE_MS > 0) Atomics.wait(pause, 0, 0, SETTLE_MS);
}

/**
 * Runs `fn` `warmup` times untimed, then `runs` times, each after `settle()`; returns each
 * timed run's milliseconds.
 */
export function timeRuns(fn: () => unknown, runs: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    settle();
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times;
}

/**
 * Runs `fn` back to back, with no collection between runs, as a server answering one
 * request after another does; returns each timed run's milliseconds.
 */
export function timeRunsBackToBack(fn: () => unknown, runs: number, warmup = 3): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times;
}

/**
 * Times each of `fns` in turn, `runs` rounds, each run after `settle()`, the one that goes
 * first rotating from round to round; returns each function's times, by round. On a shared VM
 * whose speed drifts over seconds, two figures measured a minute apart put the drift into
 * their ratio (a sweep's floor read 36 ms in one run and 61 ms in the next); runs side by side
 * share it, so each round's ratio is a reading of the code rather than of the moment.
 */
export function timeInTurn(fns: readonly (() => unknown)[], runs: number, warmup = 1): number[][] {
  for (let i = 0; i < warmup; i++) for (const fn of fns) fn();
  const times = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < fns.length; k++) {
      const f = (i + k) % fns.length;
      settle();
      const t = performance.now();
      fns[f]!();
      times[f]!.push(performance.now() - t);
    }
  }
  return times;
}

/** Peak resident set size of this process so far, in bytes (the kernel's high-water mark). */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Re-runs the current bench file in a child process with `args`, same node flags, and
 * parses the last stdout line as JSON. Throws with the child's stderr when it fails.
 */
export function runChild<T>(script: string, args: readonly string[]): T {
  const r = spawnSync(process.execPath, [...process.execArgv, script, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`child ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as T;
}

export const ms = (x: number): string =>
  (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + " ms";
export const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0) + " MB";
export const ratio = (ours: number, base: number): string =>
  base > 0 ? (ours / base).toFixed(2) + "×" : "–";

/** Prints a table with columns padded to their widest cell (CJK-free cells only). */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    "| " + cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const r of rows) console.log(line(r));
}

/** The machine, for the record beside the figures. */
export async function machine(): Promise<string> {
  const os = await import("node:os");
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}

import type { Config } from "../config.js";

/**
 * The configuration a command runs with, after a warning on stderr for each variable that looks
 * like a setting the gateway does not read, as `serve` logs them. A misspelt PINGYI_DATA_DIR or
 * DATABASE_URL sends an import, a removal, a score, a token or a move to another database (or
 * secret) than the gateway's, with nothing else to say so. stderr only: a read command's stdout
 * is kept by scripts (`pingyi score 2019 > ranking.tsv`, `TOKEN=$(pingyi token …)`).
 */
export async function commandConfig(
  env: Record<string, string | undefined> = process.env,
  { readsDatabaseUrl = true } = {},
): Promise<Config> {
  const { loadConfig, unknownSettings } = await import("../config.js");
  // Before loading: a bad value elsewhere may be what the misspelt name was meant to fix.
  for (const warning of unknownSettings(env, { readsDatabaseUrl })) console.error(`warning: ${warning}`);
  return loadConfig(env);
}

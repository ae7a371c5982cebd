/**
 * Every setting the gateway reads from the environment, in one place. docs/configuration.md is
 * written from `configDocs` below (`pingyi config --markdown`), so the two cannot drift.
 */
import { isIP } from "node:net";
import { closestField, plainIssues } from "@pingyi/engine";
import { z } from "zod";
import {
  guessableSecret,
  insecureJwks,
  keySettingsConflict,
  readPublicKey,
  secretProblem,
} from "./auth/keys.js";

/**
 * The longest a token may last by default: a year. The gateway keeps no list of tokens, so a
 * long-lived one is a credential for good unless the key changes (and every other token with it).
 */
export const MAX_TOKEN_SECONDS = 366 * 24 * 3600;

/**
 * How far apart a token issuer's clock and the gateway's may be, by default. Claims are whole
 * seconds, so two clocks a fraction of a second apart already put a fresh token's `nbf` a second
 * ahead; NTP keeps servers well within a second. Much more (the 30–60 s some gateways allow)
 * would hide a clock that needs fixing, and keep every expired token good for that long.
 */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/**
 * Decimal digits only: Number() also reads "0x10", "1e3" and " 12", and PORT=0x10 listened on
 * port 16. `what` words the digits rule; `tooLarge` the maximum, where zod's "must be at most
 * 300" would not say why.
 */
const int = (
  min: number,
  {
    max = Number.MAX_SAFE_INTEGER,
    what = "a whole number in decimal digits",
    tooSmall,
    tooLarge,
  }: { max?: number; what?: string; tooSmall?: string; tooLarge?: string } = {},
) =>
  z
    .string()
    .regex(/^[0-9]+$/, `must be ${what}`)
    .transform(Number)
    .pipe(z.number().min(min, tooSmall).max(max, tooLarge));

/**
 * The bounds of PINGYI_RATE_LIMIT_WINDOW_MS. An operator who writes seconds (60) got a 60 ms
 * window, in which no client reaches the limit: the limit was off without a word. A window
 * longer than a day locks a client out for longer than anyone would mean.
 */
const RATE_WINDOW_MS = { min: 1000, max: 86_400_000 };

/**
 * The least PINGYI_ANALYSIS_SECONDS_PER_MINUTE but 0: a subject's minute must hold one request's
 * budget (about 1.5 s), or a request the budget allows would be refused in every minute, and
 * "retry in …" would never come true.
 */
export const MIN_ANALYSIS_SECONDS = 2;

/**
 * An RFC 1123 host name (a trailing dot allowed). A last label of digits only is a mistyped
 * IPv4 address (127.0.0.256), which no name can be.
 */
function isHostName(host: string): boolean {
  const labels = host.replace(/\.$/, "").split(".");
  return (
    host.length <= 253 &&
    labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(l)) &&
    !/^[0-9]+$/.test(labels.at(-1)!)
  );
}

/**
 * What is wrong with HOST, found before the database is opened (that can take seconds, and
 * seeds it). Whether the address belongs to this machine is left to listening: the system may
 * allow binding other addresses (ip_nonlocal_bind, a floating address), and a name resolves then.
 */
function hostProblem(host: string): string | undefined {
  if (isIP(host) || isHostName(host)) return undefined;
  if (host.includes("://"))
    return "is a URL, not an address: write only the address, such as 127.0.0.1 or 0.0.0.0, and the port in PORT";
  if (/^\[.*\]$/.test(host)) return "write an IPv6 address without brackets, such as ::1";
  const withoutPort = host.replace(/:[0-9]+$/, "");
  if (withoutPort !== host && (isIP(withoutPort) || isHostName(withoutPort)))
    return "must not include a port: set the port with PORT";
  return "is neither an IP address nor a host name: use 127.0.0.1, or 0.0.0.0 for every interface";
}

const UNENCODED_PASSWORD =
  'its user or password holds "#", "/" or "?", which end a URL\'s user part (the host would be read from the password): percent-encode them (# %23, / %2F, ? %3F), or leave the password out of the URL and set PGPASSWORD';

/**
 * Where a "#", "/" or "?" in the password ends the URL's user part early, the "@" that was meant
 * to end it (the index), or -1. p@ss#word@db reads as user "p" at host "ss", and the driver's
 * error then shows part of the password as a host name. An "@" in the password itself is read
 * right (the user part runs to the last "@" before the first "/", "?" or "#"), and one inside a
 * query value (?application_name=a@b, ?password=p@ss) is not a user part at all.
 */
export function misplacedUserEnd(url: string): number {
  const start = url.indexOf("://");
  if (start < 0) return -1;
  const cut = url.slice(start + 3).search(/[/?#]/);
  if (cut < 0) return -1;
  const from = start + 3 + cut;
  const at = url.indexOf("@", from);
  if (at < 0) return -1;
  return url.slice(from, at).includes("=") ? -1 : at;
}

export const configSchema = z.object({
  PORT: int(0, { max: 65535, what: "a port number in decimal digits, 0–65535" })
    .default(4000)
    .describe("TCP port of the HTTP server (0 picks a free port)."),
  HOST: z
    .string()
    .superRefine((host, ctx) => {
      const problem = hostProblem(host);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .default("127.0.0.1")
    .describe("Interface to listen on; 0.0.0.0 to accept remote clients."),
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development")
    .describe(
      "production switches off GraphiQL, introspection, the development token and limit details in errors.",
    ),
  DATABASE_URL: z
    .string()
    // Before .url(): a password holding "/" or "?" makes the URL unparseable, and the reason is the password.
    .refine((u) => misplacedUserEnd(u) < 0, UNENCODED_PASSWORD)
    .pipe(z.string().url())
    // Anything else is passed to the driver, which ignores the scheme and tries localhost:5432.
    .refine((u) => /^(postgres|postgresql|socket):/i.test(u), "must start with postgres:// or postgresql://")
    .optional()
    .describe("PostgreSQL connection string. Unset: the embedded PGlite database in PINGYI_DATA_DIR."),
  PINGYI_DATA_DIR: z
    .string()
    .default("./.pingyi")
    .describe("PGlite data directory (or memory://) when DATABASE_URL is unset."),
  PINGYI_SEED: bool
    .optional()
    .describe(
      "Load the city-review example into an empty database on start, so a new user sees rankings at once. Unset: true on the embedded database, but false when NODE_ENV=production or DATABASE_URL is set (a real database should start empty: the example's years take the ids 2018 and 2019 and its scheme versions could never be deleted).",
    ),
  PINGYI_JWT_SECRET: z
    .string()
    .min(32, "use at least 32 characters")
    .superRefine((secret, ctx) => {
      const problem = secretProblem(secret);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .describe(
      "HS256 shared secret for bearer tokens, at least 32 characters (e.g. `openssl rand -hex 32`). Required in production unless a public key or JWKS is set; there, one with fewer than 8 different characters or made of one short text repeated is refused.",
    ),
  PINGYI_JWT_PUBLIC_KEY: z
    .string()
    .superRefine((pem, ctx) => {
      const read = readPublicKey(pem);
      if ("problem" in read) ctx.addIssue({ code: "custom", message: read.problem });
    })
    .optional()
    .describe("SPKI PEM public key (RS256 or ES256 tokens) instead of a secret."),
  PINGYI_JWT_JWKS: z
    .string()
    .url()
    // jose fetches the keys when a token arrives: any other scheme would refuse every token then.
    .refine((u) => /^https?:\/\//i.test(u), "must be an http:// or https:// URL the keys are fetched from")
    .optional()
    .describe(
      "JWKS URL (RS256 or ES256 tokens) instead of a secret. In production https:// only (http:// for localhost).",
    ),
  PINGYI_JWT_ISSUER: z.string().optional().describe("Required `iss` claim, when set."),
  PINGYI_JWT_AUDIENCE: z.string().optional().describe("Required `aud` claim, when set."),
  PINGYI_JWT_MAX_AGE_SECONDS: int(3600)
    .default(MAX_TOKEN_SECONDS)
    .describe(
      "The longest a token may be good for, in seconds: from its `iat` claim (or from now, without one) to its `exp`. A token that lasts longer is refused, whoever signed it: the gateway keeps no list of tokens, so a long-lived one can only be revoked by changing the key. Default: a year (366 days), the most `pingyi token --expires` mints. At least 3600 (an hour); keep it above the 12 hours of the development token and of `pingyi token` without `--expires`.",
    ),
  PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: int(0, {
    max: 300,
    what: "a whole number of seconds, 0–300",
    tooLarge: "must be at most 300 seconds: a clock further off is to be fixed (NTP), not allowed for",
  })
    .default(DEFAULT_CLOCK_TOLERANCE_SECONDS)
    .describe(
      "How far, in seconds, the clock of whatever issued a token may be from this gateway's: a token is accepted until this long after its `exp`, from this long before its `nbf`, and if issued (`iat`) no more than this long ahead, and a subscription ends this long after its token's `exp`; a token's lifetime (PINGYI_JWT_MAX_AGE_SECONDS) is measured with the same slack. 0–300. Default: 5, enough for clocks kept by NTP and for times written in whole seconds; raise it for an identity provider whose clock you cannot fix, and keep it small: an expired token lasts this much longer.",
    ),
  PINGYI_PUBLIC_RANKINGS: bool
    .default(false)
    .describe("true: rankings, units and cycles are readable without a token. Breakdowns still need one."),
  PINGYI_CORS_ORIGINS: z
    .string()
    .transform((list, ctx) => {
      const origins = list
        .split(",")
        .map((o) => o.trim())
        .filter((o) => o !== "");
      for (const origin of origins) {
        const problem = originProblem(origin);
        if (problem) ctx.addIssue({ code: "custom", message: `${JSON.stringify(origin)}: ${problem}` });
      }
      return origins;
    })
    .optional()
    .describe(
      "Web origins whose pages may call the API from a browser, comma-separated (https://portal.example.gov). Unset: none, only the gateway's own console. Tokens are sent as headers, never cookies, so no credentials are allowed cross-origin.",
    ),
  PINGYI_RATE_LIMIT: int(0)
    .default(300)
    .describe(
      "API requests (/graphql, and anything but GET/HEAD; not the console's files or health probes) per window per client IP address (tokens are not trusted before verification); 0 disables the limit.",
    ),
  PINGYI_RATE_LIMIT_WINDOW_MS: int(RATE_WINDOW_MS.min, {
    max: RATE_WINDOW_MS.max,
    what: "a whole number of milliseconds, 1000–86400000",
    tooSmall:
      "must be at least 1000: it is in milliseconds (a minute is 60000, not 60), and a shorter window is one no client fills",
    tooLarge: "must be at most 86400000 milliseconds (a day)",
  })
    .default(60_000)
    .describe(
      "Length of the rate-limit window in milliseconds (60000 is a minute), 1000–86400000 (a day): a window given in seconds by mistake is refused at start rather than turning the limit off.",
    ),
  PINGYI_MAX_STREAMS_PER_CLIENT: int(0)
    .default(64)
    .describe(
      "Subscriptions (`rankingUpdated` streams) one client IP address may hold open at once, per gateway process; one more is refused with `RATE_LIMITED`. An office behind one address shares it. 0: no limit.",
    ),
  PINGYI_MAX_STREAMS_PER_SUBJECT: int(0)
    .default(16)
    .describe(
      "Subscriptions one token subject may hold open at once, per gateway process, whatever its addresses (a console tab holds one); one more is refused with `RATE_LIMITED`. 0: no limit.",
    ),
  PINGYI_ANALYSIS_SECONDS_PER_MINUTE: int(0)
    .refine(
      (n) => n === 0 || n >= MIN_ANALYSIS_SECONDS,
      `must be 0 (no limit) or at least ${MIN_ANALYSIS_SECONDS}: one request may spend about 1.5 s, which a subject's minute must hold`,
    )
    .default(30)
    .describe(
      "Seconds of analysis work one token subject may spend a minute, per gateway process. Each what-if, weight sweep (and the estimate it is priced by), Monte-Carlo run, leave-one-out, ranking or unit profile under a saved scenario and scheme preview has its work estimated before it runs (one request may spend about 1.5 s; an analysis counts when it runs: a page of a sweep, Monte-Carlo run or leave-one-out read from the runs the gateway keeps does not; nor does the check `setCycleScheme` runs). One that would go over is refused before it runs with `RATE_LIMITED`, its `extensions.retryAfter` (and the reply's `Retry-After`) the seconds until the subject's minute starts again (a minute starts at the subject's first counted analysis after the last one ended). Default: 30, half of the gateway's one thread, room for an analyst's runs every few seconds. 0: no limit; otherwise at least 2.",
    ),
  PINGYI_MAX_BODY_BYTES: int(1024)
    .default(1_000_000)
    .describe("Largest accepted JSON request body, in bytes; at least 1024."),
  PINGYI_MAX_UPLOAD_BYTES: int(1024)
    .default(50_000_000)
    .describe("Largest accepted upload (importFile), in bytes; at least 1024."),
  PINGYI_MAX_COST: int(100)
    .default(50_000)
    .describe(
      "graphql-armor cost limit per operation (`first: n` or `last: n`, a literal or a variable, multiplies its selection by n); at least 100.",
    ),
  PINGYI_CACHE_SIZE: int(1)
    .default(64)
    .describe("Evaluations kept in the per-process LRU cache; at least 1."),
  PINGYI_TRUST_PROXY: bool
    .default(false)
    .describe(
      "Take the client address from the last X-Forwarded-For entry, the one your proxy appended (only behind a proxy you control).",
    ),
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error", "silent"])
    .default("info")
    .describe("Structured JSON logs on stdout, one line per request at info."),
  LOG_FORMAT: z
    .enum(["text", "json"])
    .default("text")
    .describe(
      "json: what `pingyi serve` prints on start (its address, the development token) and why a start failed are log records too, so every line on stdout and stderr is one JSON object, for a log shipper. text: those are plain lines for a person. Request logs are JSON either way.",
    ),
});

/** Why an entry of PINGYI_CORS_ORIGINS is no origin a browser sends, or undefined. */
function originProblem(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return "must be an origin such as https://portal.example.gov";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http:// or https:// origin";
  // A browser's Origin header has no path, query or trailing slash: "https://a.gov/" would never match.
  if (url.origin !== origin)
    return `must be the origin alone, as a browser sends it (${url.origin}), without a path or a trailing slash`;
  return undefined;
}

export type Config = Omit<z.infer<typeof configSchema>, "PINGYI_SEED"> & { PINGYI_SEED: boolean };

/** Reads the configuration; throws a readable message listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (docker-compose writes them for blank variables).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  const conflict = keySettingsConflict(cleaned);
  if (!result.success || conflict) {
    const lines = plainIssues(cleaned, result.error).map((i) => `  ${i.path.join(".")}: ${i.message}`);
    if (conflict) lines.push(`  ${conflict.settings}: ${conflict.problem}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  const config: Config = {
    ...result.data,
    // A first "does it connect?" start against a city's PostgreSQL must not leave the example in it.
    PINGYI_SEED:
      result.data.PINGYI_SEED ??
      (result.data.NODE_ENV !== "production" && result.data.DATABASE_URL === undefined),
  };
  if (
    config.NODE_ENV === "production" &&
    !config.PINGYI_JWT_SECRET &&
    !config.PINGYI_JWT_PUBLIC_KEY &&
    !config.PINGYI_JWT_JWKS
  ) {
    throw new Error(
      "invalid configuration:\n  PINGYI_JWT_SECRET (or PINGYI_JWT_PUBLIC_KEY / PINGYI_JWT_JWKS) is required in production",
    );
  }
  if (config.NODE_ENV === "production") {
    const weak = [
      ["PINGYI_JWT_SECRET", config.PINGYI_JWT_SECRET && guessableSecret(config.PINGYI_JWT_SECRET)],
      ["PINGYI_JWT_JWKS", config.PINGYI_JWT_JWKS && insecureJwks(config.PINGYI_JWT_JWKS)],
    ].filter(([, problem]) => problem);
    if (weak.length > 0)
      throw new Error(
        `invalid configuration:\n${weak.map(([name, problem]) => `  ${name}: ${problem}`).join("\n")}`,
      );
  }
  // A shared identity provider signs tokens for many applications: in production, accept only
  // tokens minted for this one.
  if (
    config.NODE_ENV === "production" &&
    (config.PINGYI_JWT_PUBLIC_KEY || config.PINGYI_JWT_JWKS) &&
    !config.PINGYI_JWT_AUDIENCE
  ) {
    throw new Error(
      "invalid configuration:\n  PINGYI_JWT_AUDIENCE is required in production with PINGYI_JWT_PUBLIC_KEY or PINGYI_JWT_JWKS",
    );
  }
  return config;
}

export const isProduction = (config: Config): boolean => config.NODE_ENV === "production";

/** Variables of the project's own tooling, not the gateway's settings: never warned about. */
const TOOLING = /^PINGYI_(TEST|BENCH|CONSOLE|CHROMIUM)/;

/**
 * A name that was most likely meant as DATABASE_URL: its letters and digits, whatever the case,
 * within two edits of it (DATABASEURL, "DATABASE_URL ", database_url, DATABSE_URL), or another
 * application's name for it (DATABASE_URI, DB_URL, PG_URL, POSTGRES_URL). Not one that merely
 * contains it: TEST_DATABASE_URL is some other tool's.
 */
function meansDatabaseUrl(name: string): boolean {
  const letters = name.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (/^(DATABASE|DB|PG|POSTGRES|POSTGRESQL)UR[LI]$/.test(letters)) return true;
  return (
    Math.abs(letters.length - "DATABASEURL".length) <= 2 &&
    closestField(letters, ["DATABASEURL"]) !== undefined
  );
}

/**
 * `PINGYI_*` variables the gateway does not read, with the setting each most likely meant: a
 * misspelt `PINGYI_PUBLIC_RANKING` would otherwise leave its setting at the default unseen. With
 * DATABASE_URL unset, names close to it too: a gateway given DATABASE_URI=postgres://… starts on
 * a new embedded database instead.
 */
export function unknownSettings(
  env: Record<string, string | undefined>,
  /** False for a command that reads no DATABASE_URL (move-database): a name close to it is not its concern. */
  { readsDatabaseUrl = true } = {},
): string[] {
  const known = Object.keys(configSchema.shape);
  const withoutDatabaseUrl = readsDatabaseUrl && !env.DATABASE_URL;
  const misspelt = Object.keys(env)
    .filter((name) => name.startsWith("PINGYI_") && !known.includes(name) && !TOOLING.test(name))
    .map((name) => {
      const meant = closestField(name, known);
      return `${name} is not a setting of the gateway${meant ? `: did you mean ${meant}?` : " (docs/configuration.md lists them)"}`;
    });
  const database = Object.keys(env)
    .filter((name) => withoutDatabaseUrl && name !== "DATABASE_URL" && meansDatabaseUrl(name))
    .map(
      (name) =>
        // Quoted when it holds what a terminal would not show ("DATABASE_URL ").
        `${/^\w+$/.test(name) ? name : JSON.stringify(name)} is not a setting of the gateway: did you mean DATABASE_URL? Without DATABASE_URL the gateway uses the embedded database in PINGYI_DATA_DIR`,
    );
  return [...misspelt, ...database].sort();
}

/** The documentation table, generated from the schema above. */
export function configDocs(): string {
  const rows = Object.entries(configSchema.shape).map(([name, schema]) => {
    const def = (schema as z.ZodType).def as { type: string; defaultValue?: unknown };
    const dflt = def.type === "default" ? `\`${String(def.defaultValue)}\`` : "unset";
    return `| \`${name}\` | ${dflt} | ${(schema as z.ZodType).description ?? ""} |`;
  });
  return [
    "# Configuration",
    "",
    "The gateway is configured by environment variables only. This file is generated from",
    "`packages/gateway/src/config.ts` (from the repository root: `node packages/gateway/bin/pingyi.mjs config --markdown > docs/configuration.md`);",
    "a test fails when it drifts. Empty values count as unset. Booleans accept true/false/1/0/yes/no. A `PINGYI_` variable",
    "that is none of these is warned about at start (and on stderr by every `pingyi` command that opens the database or mints a token),",
    "with the setting it most likely meant; so is, while `DATABASE_URL` is unset, a",
    "name close to it (`DATABASE_URI`, `DB_URL`, `PG_URL`, `DATABASE_URL ` with a trailing space).",
    "",
    "| Variable | Default | Meaning |",
    "|---|---|---|",
    ...rows,
    "",
    "In production (`NODE_ENV=production`) a JWT key is required, `PINGYI_JWT_AUDIENCE` too when tokens come from a public key or a JWKS, and the development admin token is never printed; outside production it is printed only when the gateway signs with its generated development secret (no `PINGYI_JWT_SECRET`), so a gateway with a real secret that forgot `NODE_ENV=production` prints no real credential (it warns instead).",
    "",
  ].join("\n");
}

import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  importSPKI,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from "jose";
import type { Config } from "../config.js";
import { durationSeconds } from "./duration.js";
import { readPublicKey } from "./keys.js";
import { isRole, listed, type Principal, ROLES } from "./roles.js";

/**
 * Why a presented token was refused. `message` is a sentence for whoever holds the token: anyone
 * may provoke it, so it names settings but never their values. `reason` is for programs: jose's
 * error code (ERR_JWT_EXPIRED, ERR_JWS_INVALID…) or ROLE_MISSING, ROLE_UNKNOWN, JWKS_UNREACHABLE.
 */
export class TokenError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = "TokenError";
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** Only with a shared secret: the gateway can mint tokens (CLI, development token, tests). */
  sign?: (principal: Principal, expiresIn?: string) => Promise<string>;
}

const ASYMMETRIC = ["RS256", "ES256"];

/**
 * Builds the verifier the configuration asks for. Algorithms are pinned per key kind so a
 * token can never choose its own (no "none", no HS256 signed with a public key).
 */
export async function createTokenVerifier(config: Config): Promise<TokenVerifier> {
  const clock: Clock = {
    maxAgeSeconds: config.PINGYI_JWT_MAX_AGE_SECONDS,
    toleranceSeconds: config.PINGYI_JWT_CLOCK_TOLERANCE_SECONDS,
  };
  const claims = {
    requiredClaims: ["exp", "sub"],
    // jose's `exp` and `nbf` checks: the rest of the rule is verifyWith's.
    clockTolerance: clock.toleranceSeconds,
    ...(config.PINGYI_JWT_ISSUER ? { issuer: config.PINGYI_JWT_ISSUER } : {}),
    ...(config.PINGYI_JWT_AUDIENCE ? { audience: config.PINGYI_JWT_AUDIENCE } : {}),
  };
  // Tokens from an identity provider cannot be minted here: their holders go back to it.
  const fromProvider = "get a new one from your identity provider or your administrator";
  if (config.PINGYI_JWT_JWKS) {
    const jwks = createRemoteJWKSet(new URL(config.PINGYI_JWT_JWKS));
    const source = { key: "the keys at PINGYI_JWT_JWKS", renew: fromProvider, algorithms: ASYMMETRIC };
    return {
      verify: (t) => verifyWith(t, jwks, { ...claims, algorithms: ASYMMETRIC }, source, clock, true),
    };
  }
  if (config.PINGYI_JWT_PUBLIC_KEY) {
    const pem = config.PINGYI_JWT_PUBLIC_KEY;
    // Ask the key what it is: guessing from its base64 text mistook some RSA keys for EC ones.
    // loadConfig has read it already; a configuration built by other code has not.
    const read = readPublicKey(pem);
    if ("problem" in read)
      throw new Error(`invalid configuration:\n  PINGYI_JWT_PUBLIC_KEY: ${read.problem}`);
    const { alg } = read;
    const key = await importSPKI(pem, alg).catch((err: Error) => {
      throw new Error(`invalid configuration:\n  PINGYI_JWT_PUBLIC_KEY: cannot be used: ${err.message}`);
    });
    const source = {
      key: "this gateway's public key (PINGYI_JWT_PUBLIC_KEY)",
      renew: fromProvider,
      algorithms: [alg],
    };
    return { verify: (t) => verifyWith(t, key, { ...claims, algorithms: [alg] }, source, clock) };
  }
  const secret = new TextEncoder().encode(
    config.PINGYI_JWT_SECRET ?? developmentSecret(config.PINGYI_DATA_DIR),
  );
  const source = {
    key: config.PINGYI_JWT_SECRET
      ? "this gateway's secret (PINGYI_JWT_SECRET)"
      : "this gateway's development secret (PINGYI_JWT_SECRET is unset)",
    renew: config.PINGYI_JWT_SECRET
      ? "get a new one with `pingyi token <role> <subject>` or from your administrator"
      : developmentSecretFile(config.PINGYI_DATA_DIR) === null
        ? // `pingyi token` refuses a memory:// data directory: its secret lives in the gateway's process.
          "use the development admin token this gateway printed when it started, good for 12 hours (on a database in memory it signs with a secret of its own process, which no other command knows); after that, or for other roles, start it with PINGYI_JWT_SECRET and mint with `pingyi token <role> <subject>` under the same"
        : // The development secret is per data directory: a token minted beside another is refused.
          `get a new one with \`pingyi token <role> <subject>\` run with this gateway's PINGYI_DATA_DIR (${config.PINGYI_DATA_DIR}), or from your administrator`,
    algorithms: ["HS256"],
  };
  return {
    verify: (t) => verifyWith(t, secret, { ...claims, algorithms: ["HS256"] }, source, clock),
    sign: async (principal, expiresIn = "12h") => {
      // Both times from one reading of the clock: jose reads it for each, and a second turning in
      // between would make the token a second longer than asked (one of exactly
      // PINGYI_JWT_MAX_AGE_SECONDS, refused).
      const now = Math.floor(Date.now() / 1000);
      let jwt = new SignJWT({ role: principal.role })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(principal.subject)
        .setIssuedAt(now)
        .setExpirationTime(now + durationSeconds(expiresIn));
      if (config.PINGYI_JWT_ISSUER) jwt = jwt.setIssuer(config.PINGYI_JWT_ISSUER);
      if (config.PINGYI_JWT_AUDIENCE) jwt = jwt.setAudience(config.PINGYI_JWT_AUDIENCE);
      return jwt.sign(secret);
    },
  };
}

/** How the times of a token are held to this gateway's clock. */
interface Clock {
  /** PINGYI_JWT_MAX_AGE_SECONDS: the longest a token may be good for. */
  maxAgeSeconds: number;
  /**
   * PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: how far the issuer's clock may be from this gateway's.
   * Every time a token states is read with this much slack, and no more: `exp` and `nbf` (jose),
   * `iat` for the lifetime, and the end of a subscription.
   */
  toleranceSeconds: number;
}

/** Where this gateway's keys come from, for the sentences that say why a token was refused. */
interface KeySource {
  /** The key or keys, naming the setting that holds them. */
  key: string;
  /** What the holder of a refused token can do about it. */
  renew: string;
  algorithms: string[];
}

async function verifyWith(
  token: string,
  key: Uint8Array | CryptoKey | JWTVerifyGetKey,
  options: Parameters<typeof jwtVerify>[2],
  source: KeySource,
  clock: Clock,
  remote = false,
): Promise<Principal> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key as Uint8Array, options));
  } catch (err) {
    throw refusal(err, token, source, remote);
  }
  // jose asks only that `sub` be there: a blank one (or null) names no one either, and every
  // write would then be refused for want of an actor in the audit trail.
  if (typeof payload.sub !== "string" || payload.sub.trim() === "")
    throw new TokenError(
      `${typeof payload.sub === "string" || payload.sub === null ? claimProblem("sub", "missing", payload) : "this token's subject (`sub` claim) is not text, so the audit log could not name it"}; ${source.renew}`,
      "ERR_JWT_CLAIM_VALIDATION_FAILED",
    );
  if (payload.role === undefined)
    throw new TokenError(
      `this token has no \`role\` claim: it needs ${listed(ROLES)}; ${source.renew}`,
      "ROLE_MISSING",
    );
  if (!isRole(payload.role))
    throw new TokenError(
      `this token's role ${quoted(payload.role)} is not ${listed(ROLES)}; ${source.renew}`,
      "ROLE_UNKNOWN",
    );
  // jose has checked that `exp` is a number not yet past (by more than the tolerance), and `iat` a
  // number if there is one. `latest` is now by an issuer's clock ahead of this one by the whole
  // tolerance. A token issued after it comes from a clock further off than the tolerance allows
  // (as a token not yet valid, by `nbf`, is refused), and would make its lifetime look short.
  const latest = Math.floor(Date.now() / 1000) + clock.toleranceSeconds;
  if (typeof payload.iat === "number" && payload.iat > latest)
    throw new TokenError(
      `this token says it was issued at ${utc(payload.iat)} (\`iat\` claim), which has not come yet: the clock of the machine that issued it is ahead of this gateway's by more than PINGYI_JWT_CLOCK_TOLERANCE_SECONDS (${clock.toleranceSeconds} s); check both clocks, then ${source.renew}`,
      "ERR_JWT_CLAIM_VALIDATION_FAILED",
    );
  // A lifetime counts from `iat`; without one, from `latest`, so that such a clock does not make
  // it too long.
  const from = typeof payload.iat === "number" ? payload.iat : latest;
  const exp = payload.exp as number;
  if (exp - from > clock.maxAgeSeconds)
    throw new TokenError(
      `this token is good until ${utc(payload.exp)}, longer than this gateway accepts from ${payload.iat === undefined ? "now" : "its issue (`iat` claim)"} (PINGYI_JWT_MAX_AGE_SECONDS): a token cannot be revoked on its own, so tokens must expire; ${source.renew}`,
      "TOKEN_LIFETIME_TOO_LONG",
    );
  // A subscription ends when a request with its token would first be refused, by the same slack.
  return {
    subject: payload.sub,
    role: payload.role,
    expiresAt: new Date(exp * 1000),
    acceptedUntil: new Date((exp + clock.toleranceSeconds) * 1000),
  };
}

/** jose's error for a token, as a sentence saying what is wrong with it and what to do. */
function refusal(err: unknown, token: string, source: KeySource, remote: boolean): TokenError {
  const {
    code,
    claim,
    reason,
    payload = {},
  } = err as {
    code?: string;
    claim?: string;
    reason?: string;
    payload?: JWTPayload;
  };
  const { renew } = source;
  const refused = (message: string) => new TokenError(message, code ?? "UNVERIFIABLE");
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return refused(`this token expired at ${utc(payload.exp)}; ${renew}`);
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      // A token early for this gateway's clock becomes good by itself: no new one is needed.
      if (claim === "nbf" && reason === "check_failed")
        return refused(
          `this token is not valid before ${utc(payload.nbf)}: wait until then, or check the clocks of this gateway and of the machine that issued it (PINGYI_JWT_CLOCK_TOLERANCE_SECONDS is how far apart they may be)`,
        );
      return refused(`${claimProblem(claim ?? "", reason, payload)}; ${renew}`);
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return refused(
        `this token's signature does not match ${source.key}: it was issued by another gateway or identity provider, or cut short when copied; ${renew}`,
      );
    case "ERR_JWKS_NO_MATCHING_KEY":
      return refused(
        `none of ${source.key} matches this token's key id and algorithm: it was issued by another identity provider, or the provider has since replaced its keys; ${renew}`,
      );
    case "ERR_JOSE_ALG_NOT_ALLOWED": {
      const alg = headerAlg(token);
      const accepted = `this gateway accepts only ${listed(source.algorithms)} tokens, checked with ${source.key}`;
      return refused(
        alg === "none" || alg === undefined
          ? `this token is not signed (alg "none"), but ${accepted}; ${renew}`
          : `this token is signed with ${quoted(alg, false)}, but ${accepted}; ${renew}`,
      );
    }
    case "ERR_JWS_INVALID":
    case "ERR_JWT_INVALID":
      return refused(
        "this is not a well-formed token (three base64url parts joined by dots, the first two JSON); check it was copied whole, without quotes or line breaks",
      );
  }
  // With a JWKS the keys are fetched when a token needs them: a failure there is the gateway's.
  if (remote && (code === undefined || code === "ERR_JWKS_TIMEOUT" || code === "ERR_JWKS_INVALID"))
    return new TokenError(
      `the gateway could not fetch ${source.key} to check this token; try again, and tell your administrator if it keeps happening`,
      code ?? "JWKS_UNREACHABLE",
    );
  return refused(`this token could not be verified; ${renew}`);
}

function claimProblem(claim: string, reason: string | undefined, payload: JWTPayload): string {
  if (reason === "missing") {
    switch (claim) {
      case "exp":
        return "this token has no expiry (`exp` claim), and the gateway accepts only tokens that expire";
      case "sub":
        return "this token names no subject (`sub` claim), whom the audit log would name";
      case "aud":
        return "this token names no audience (`aud` claim), and this gateway requires its own (PINGYI_JWT_AUDIENCE)";
      case "iss":
        return "this token names no issuer (`iss` claim), and this gateway requires its own (PINGYI_JWT_ISSUER)";
    }
    return `this token has no \`${claim}\` claim`;
  }
  if (reason === "invalid") return `this token's \`${claim}\` claim is not a time in seconds since 1970`;
  switch (claim) {
    case "aud":
      return `this token is meant for ${quoted(payload.aud)}, not this gateway's audience (PINGYI_JWT_AUDIENCE)`;
    case "iss":
      return `this token was issued by ${quoted(payload.iss)}, not this gateway's issuer (PINGYI_JWT_ISSUER)`;
  }
  return `this token's \`${claim}\` claim is not one this gateway accepts`;
}

/** A claim's seconds since 1970 as `2020-01-02 03:04:05 UTC`. */
export function utc(seconds: unknown): string {
  const ms = typeof seconds === "number" ? seconds * 1000 : Number.NaN;
  // Date's range: ±8.64e15 ms.
  if (!(Math.abs(ms) <= 8.64e15)) return "a time that cannot be read";
  return new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, " UTC");
}

/** A value from the token, shown as JSON and cut short: the message goes back to whoever sent it. */
function quoted(value: unknown, json = true): string {
  const text = json ? (JSON.stringify(value) ?? String(value)) : String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function headerAlg(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

/**
 * Whether the gateway signs with the development secret, configured with no key of its own: the
 * secret kept beside the data directory, and written there by the gateway's first start.
 */
export function signsWithDevelopmentSecret(
  config: Pick<Config, "PINGYI_JWT_SECRET" | "PINGYI_JWT_PUBLIC_KEY" | "PINGYI_JWT_JWKS">,
): boolean {
  return !config.PINGYI_JWT_SECRET && !config.PINGYI_JWT_PUBLIC_KEY && !config.PINGYI_JWT_JWKS;
}

/** Where the development secret of a data directory is kept; null for one in memory (per process). */
export function developmentSecretFile(dataDir: string): string | null {
  return dataDir.startsWith("memory://") ? null : `${resolve(dataDir)}.dev-secret`;
}

/**
 * Development only (production requires a key): a random secret kept beside the data
 * directory, so `pingyi token` and a running `pingyi serve` agree across restarts.
 */
function developmentSecret(dataDir: string): string {
  const file = developmentSecretFile(dataDir);
  if (file === null) {
    processSecret ??= randomBytes(32).toString("hex");
    return processSecret;
  }
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  // Written whole under another name, then linked into place: a link fails where the file is
  // already there, so of two gateways (or a gateway and `pingyi token`) starting on one data
  // directory at once, the second reads the first's secret instead of replacing it, and no one
  // reads a file half written.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(draft, secret, { mode: 0o600, flag: "wx" });
    try {
      linkSync(draft, file);
    } catch (err) {
      // A file system without hard links: created only if absent, still.
      if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"].includes((err as NodeJS.ErrnoException).code ?? ""))
        throw err;
      writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST" && existsSync(file))
      return readFileSync(file, "utf8").trim();
    throw new Error(
      `the development token secret ${file} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): the directory ${dirname(file)}, which holds PINGYI_DATA_DIR, must be writable by this user; or set PINGYI_JWT_SECRET`,
      { cause: err },
    );
  } finally {
    rmSync(draft, { force: true });
  }
  return secret;
}
let processSecret: string | undefined;

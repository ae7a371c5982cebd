import { createPublicKey, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createRemoteJWKSet, importSPKI, type JWTVerifyGetKey, jwtVerify, SignJWT } from "jose";
import type { Config } from "../config.js";
import { isRole, type Principal, type Role } from "./roles.js";

/** Why a presented token was refused; the message is safe to show the client. */
export class TokenError extends Error {}

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
  const claims = {
    requiredClaims: ["exp", "sub"],
    ...(config.PINGYI_JWT_ISSUER ? { issuer: config.PINGYI_JWT_ISSUER } : {}),
    ...(config.PINGYI_JWT_AUDIENCE ? { audience: config.PINGYI_JWT_AUDIENCE } : {}),
  };
  if (config.PINGYI_JWT_JWKS) {
    const jwks = createRemoteJWKSet(new URL(config.PINGYI_JWT_JWKS));
    return { verify: (t) => verifyWith(t, jwks, { algorithms: ASYMMETRIC, ...claims }) };
  }
  if (config.PINGYI_JWT_PUBLIC_KEY) {
    const pem = config.PINGYI_JWT_PUBLIC_KEY;
    // Ask the key what it is: guessing from its base64 text mistook some RSA keys for EC ones.
    const alg = createPublicKey(pem).asymmetricKeyType === "ec" ? "ES256" : "RS256";
    const key = await importSPKI(pem, alg);
    return { verify: (t) => verifyWith(t, key, { algorithms: [alg], ...claims }) };
  }
  const secret = new TextEncoder().encode(
    config.PINGYI_JWT_SECRET ?? developmentSecret(config.PINGYI_DATA_DIR),
  );
  return {
    verify: (t) => verifyWith(t, secret, { algorithms: ["HS256"], ...claims }),
    sign: async (principal, expiresIn = "12h") => {
      let jwt = new SignJWT({ role: principal.role })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(principal.subject)
        .setIssuedAt()
        .setExpirationTime(expiresIn);
      if (config.PINGYI_JWT_ISSUER) jwt = jwt.setIssuer(config.PINGYI_JWT_ISSUER);
      if (config.PINGYI_JWT_AUDIENCE) jwt = jwt.setAudience(config.PINGYI_JWT_AUDIENCE);
      return jwt.sign(secret);
    },
  };
}

async function verifyWith(
  token: string,
  key: Uint8Array | CryptoKey | JWTVerifyGetKey,
  options: Parameters<typeof jwtVerify>[2],
): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, key as Uint8Array, options);
    if (!isRole(payload.role)) throw new TokenError("token has no valid role claim");
    return { subject: payload.sub!, role: payload.role as Role };
  } catch (err) {
    if (err instanceof TokenError) throw err;
    throw new TokenError(`invalid token: ${(err as { code?: string }).code ?? "unverifiable"}`);
  }
}

/**
 * Development only (production requires a key): a random secret kept beside the data
 * directory, so `pingyi token` and a running `pingyi serve` agree across restarts.
 */
function developmentSecret(dataDir: string): string {
  if (dataDir.startsWith("memory://")) {
    processSecret ??= randomBytes(32).toString("hex");
    return processSecret;
  }
  const file = `${resolve(dataDir)}.dev-secret`;
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
let processSecret: string | undefined;

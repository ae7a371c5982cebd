import { createPublicKey, type KeyObject } from "node:crypto";

/**
 * The key settings read as the configuration is read, before the database is opened: OpenSSL's
 * and jose's own errors ("error:1E08010C:DECODER routines::unsupported", `"spki" must be SPKI
 * formatted string`) name neither the setting nor what is wrong with it, and came only after
 * the database had been opened and seeded.
 */

export type PublicKeyAlgorithm = "RS256" | "ES256";

const ACCEPTED = "an RSA key (RS256 tokens) or an elliptic-curve P-256 key (ES256 tokens)";

/**
 * The algorithm of the tokens a PINGYI_JWT_PUBLIC_KEY value checks, or why the value cannot
 * be used, as words that follow the setting's name. Never quotes the value: a private key
 * given by mistake must not reach the logs.
 */
export function readPublicKey(pem: string): { alg: PublicKeyAlgorithm } | { problem: string } {
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
  if (labels.length === 0)
    return {
      problem:
        "is not a PEM public key: give the text of the public key file, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----",
    };
  if (labels.length > 1)
    return { problem: `holds ${labels.length} PEM blocks (${labels.join(", ")}): give one public key` };
  const label = labels[0]!;
  if (label.includes("PRIVATE KEY"))
    return {
      problem:
        "is a private key, where the public key is expected: give its public half (openssl pkey -in private.pem -pubout) and keep the private key with whoever issues the tokens",
    };
  if (label === "CERTIFICATE")
    return {
      problem:
        "is a certificate, where a public key is expected: give the key inside it (openssl x509 -in cert.pem -pubkey -noout)",
    };
  if (label === "RSA PUBLIC KEY")
    return {
      problem:
        "is an RSA public key in PKCS#1 form (BEGIN RSA PUBLIC KEY): give it in SPKI form, BEGIN PUBLIC KEY (openssl rsa -RSAPublicKey_in -in key.pem -pubout)",
    };
  if (label !== "PUBLIC KEY") return { problem: `is a PEM ${label}, not a public key (BEGIN PUBLIC KEY)` };
  // Environment files and CI variables often carry a PEM on one line with "\n" written out.
  if (!pem.includes("\n") && pem.includes("\\n"))
    return {
      problem:
        'has \\n written out as two characters where the PEM needs line breaks: set it with real newlines (for example PINGYI_JWT_PUBLIC_KEY="$(cat public.pem)"); the gateway reads the key from this variable only, not from a file',
    };
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return {
      problem:
        "cannot be read as a public key: the text between BEGIN PUBLIC KEY and END PUBLIC KEY is damaged or cut short; copy the whole file again",
    };
  }
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === "rsa") {
    const bits = details.modulusLength ?? 0;
    // jose checks this only when a token arrives, and then refuses every token.
    if (bits < 2048) return { problem: `is a ${bits}-bit RSA key: RS256 needs 2048 bits or more` };
    return { alg: "RS256" };
  }
  if (type === "ec") {
    if (details.namedCurve !== "prime256v1")
      return {
        problem: `is an elliptic-curve key on ${details.namedCurve ?? "an unnamed curve"}: the gateway accepts ${ACCEPTED}`,
      };
    return { alg: "ES256" };
  }
  return { problem: `is a key of type ${type}: the gateway accepts ${ACCEPTED}` };
}

/**
 * Why a PINGYI_JWT_SECRET value cannot be used, or undefined. A PEM there would be taken as
 * the HS256 secret itself: with a public key, anyone who has the key could sign tokens.
 */
export function secretProblem(secret: string): string | undefined {
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(secret))
    return "holds a PEM key, but it is the HS256 shared secret itself: put a public key in PINGYI_JWT_PUBLIC_KEY instead (and unset this), or set a random string of at least 32 characters";
  return undefined;
}

/**
 * Why a shared secret would fall to the first guesses, or undefined. An HS256 token is only as
 * strong as its secret, and "aaaa…" or "changeme-changeme-…" pass a length rule. The message
 * never quotes the secret: it goes to logs. Checked in production only.
 */
export function guessableSecret(secret: string): string | undefined {
  const distinct = new Set(secret).size;
  const fix = "use a random string, e.g. the output of `openssl rand -base64 48`";
  if (distinct < 8) return `has only ${distinct} different characters, which is easy to guess: ${fix}`;
  // Periodic: one short text written again and again (the last copy may be cut short).
  for (let period = 1; period <= secret.length / 2; period++) {
    let i = period;
    while (i < secret.length && secret[i] === secret[i - period]) i++;
    if (i === secret.length)
      return `is one text of ${period} characters repeated, which is as easy to guess as that text: ${fix}`;
  }
  return undefined;
}

/**
 * Why a JWKS URL is unsafe in production, or undefined: keys fetched over plain http can be
 * swapped by anyone on the way, and tokens signed with theirs accepted. A loopback address (a
 * sidecar on the same host) is allowed.
 */
export function insecureJwks(url: string): string | undefined {
  const u = new URL(url);
  if (u.protocol !== "http:") return undefined;
  if (["localhost", "127.0.0.1", "[::1]"].includes(u.hostname)) return undefined;
  return "must be an https:// URL in production: keys fetched over plain http can be replaced on the way, and tokens signed with the replacement would be accepted (http:// is allowed only for localhost)";
}

/** The settings a key comes from, in the order the verifier would pick among them. */
const KEY_SETTINGS = ["PINGYI_JWT_SECRET", "PINGYI_JWT_PUBLIC_KEY", "PINGYI_JWT_JWKS"] as const;

/**
 * The names and words for a line of the configuration error when more than one key setting is
 * set, or undefined. Tokens are checked against one key only: a secret left in the environment
 * after a move to an identity provider, or a JWKS URL added beside it, would set the other aside
 * without a word, and the operator would learn which one counts from tokens refused or accepted.
 */
export function keySettingsConflict(
  env: Record<string, string | undefined>,
): { settings: string; problem: string } | undefined {
  const set = KEY_SETTINGS.filter((name) => env[name] !== undefined && env[name] !== "");
  if (set.length < 2) return undefined;
  return {
    settings: set.join(", "),
    problem: `${set.length === 2 ? "both are set" : "all three are set"}, but tokens are checked with one key only: keep one, the one your tokens are signed with, and unset the ${set.length === 2 ? "other" : "others"}`,
  };
}

import { generateKeyPairSync } from "node:crypto";
import { type JWTPayload, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createTokenVerifier, TokenError, utc } from "./tokens.js";

// Public-key verification picks the algorithm from the key itself: a guess from the PEM's
// base64 text once mistook RSA keys containing "EC" for elliptic-curve keys.
describe("createTokenVerifier with a public key", () => {
  const cases = [
    ["RS256", () => generateKeyPairSync("rsa", { modulusLength: 2048 })],
    ["ES256", () => generateKeyPairSync("ec", { namedCurve: "P-256" })],
  ] as const;
  for (const [alg, generate] of cases) {
    it(`verifies ${alg} tokens signed with keys of that kind`, async () => {
      // Several keys: the old guess failed on about one RSA key in ten.
      for (let i = 0; i < 8; i++) {
        const { publicKey, privateKey } = generate();
        const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
        const verifier = await createTokenVerifier(
          loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PINGYI_JWT_PUBLIC_KEY: pem }),
        );
        const token = await new SignJWT({ role: "analyst" })
          .setProtectedHeader({ alg })
          .setSubject("li")
          .setExpirationTime("1h")
          .sign(privateKey);
        expect(await verifier.verify(token)).toMatchObject({ role: "analyst", subject: "li" });
      }
    });
  }
});

describe("production configuration", () => {
  it("requires an audience when tokens come from a public key or a JWKS", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(() => loadConfig({ NODE_ENV: "production", PINGYI_JWT_PUBLIC_KEY: pem })).toThrow(
      /PINGYI_JWT_AUDIENCE/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: "production", PINGYI_JWT_JWKS: "https://id.example/jwks.json" }),
    ).toThrow(/PINGYI_JWT_AUDIENCE/);
    expect(
      loadConfig({ NODE_ENV: "production", PINGYI_JWT_PUBLIC_KEY: pem, PINGYI_JWT_AUDIENCE: "pingyi" })
        .PINGYI_JWT_AUDIENCE,
    ).toBe("pingyi");
  });
});

// The sentences themselves are checked over HTTP in test/security.test.ts; these are the cases that
// need a configuration of their own.
describe("why a token is refused", () => {
  const refusal = async (verify: Promise<unknown>) => {
    const err = await verify.then(
      () => expect.unreachable("the token was accepted"),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TokenError);
    return err as TokenError;
  };

  it("names the audience and issuer settings a token does not match, and keeps jose's code", async () => {
    const env = { NODE_ENV: "test", LOG_LEVEL: "silent", PINGYI_JWT_SECRET: "s".repeat(32) };
    const strict = await createTokenVerifier(
      loadConfig({ ...env, PINGYI_JWT_AUDIENCE: "pingyi", PINGYI_JWT_ISSUER: "https://id.example" }),
    );
    const lax = await createTokenVerifier(loadConfig(env));
    const token = await lax.sign!({ role: "viewer", subject: "li" });
    const missing = await refusal(strict.verify(token));
    expect(missing.message).toMatch(
      /names no (audience|issuer) \(`(aud|iss)` claim\).*PINGYI_JWT_(AUDIENCE|ISSUER)/,
    );
    expect(missing.reason).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");

    const key = new TextEncoder().encode("s".repeat(32));
    const sign = (aud: string, iss: string) =>
      new SignJWT({ role: "viewer" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("li")
        .setAudience(aud)
        .setIssuer(iss)
        .setExpirationTime("1h")
        .sign(key);
    const audience = await refusal(strict.verify(await sign("payroll", "https://id.example")));
    expect(audience.message).toMatch(
      /meant for "payroll", not this gateway's audience \(PINGYI_JWT_AUDIENCE\)/,
    );
    const issuer = await refusal(strict.verify(await sign("pingyi", "https://other.example")));
    expect(issuer.message).toMatch(
      /issued by "https:\/\/other.example", not this gateway's issuer \(PINGYI_JWT_ISSUER\)/,
    );
    // The expected values stay out of a message anyone may provoke.
    for (const e of [missing, audience, issuer]) expect(e.message).not.toMatch(/id\.example|"pingyi"/);

    const expired = await refusal(lax.verify(await lax.sign!({ role: "viewer", subject: "li" }, "-1m")));
    expect(expired.reason).toBe("ERR_JWT_EXPIRED");
    const roleless = await refusal(
      lax.verify(
        await new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("li")
          .setExpirationTime("1h")
          .sign(key),
      ),
    );
    expect(roleless.reason).toBe("ROLE_MISSING");
  });

  it("with a public key, names it and sends the holder to the administrator, not `pingyi token`", async () => {
    const ours = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const theirs = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = ours.publicKey.export({ type: "spki", format: "pem" }).toString();
    const verifier = await createTokenVerifier(
      loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PINGYI_JWT_PUBLIC_KEY: pem }),
    );
    const token = await new SignJWT({ role: "analyst" })
      .setProtectedHeader({ alg: "ES256" })
      .setSubject("li")
      .setExpirationTime("1h")
      .sign(theirs.privateKey);
    const err = await refusal(verifier.verify(token));
    expect(err.message).toMatch(
      /signature does not match this gateway.s public key \(PINGYI_JWT_PUBLIC_KEY\)/,
    );
    expect(err.message).toMatch(/administrator/);
    expect(err.message).not.toMatch(/pingyi token/);
    expect(err.reason).toBe("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  it("on a database in memory, sends the holder to the token the gateway printed, not to `pingyi token` alone", async () => {
    // `pingyi token` refuses PINGYI_DATA_DIR=memory://: the secret is the gateway process's own.
    const env = { NODE_ENV: "test", LOG_LEVEL: "silent", PINGYI_DATA_DIR: "memory://" };
    const gateway = await createTokenVerifier(loadConfig(env));
    const other = await createTokenVerifier(loadConfig({ ...env, PINGYI_JWT_SECRET: "o".repeat(32) }));
    const err = await refusal(gateway.verify(await other.sign!({ role: "viewer", subject: "li" })));
    expect(err.message).toMatch(/development admin token this gateway printed when it started/);
    expect(err.message).toMatch(/good for 12 hours.*start it with PINGYI_JWT_SECRET/);
    expect(err.message).not.toMatch(/run with this gateway's PINGYI_DATA_DIR/);
  });
});

// Read when the configuration is read, before the database is opened; OpenSSL's own words
// ("DECODER routines::unsupported") named neither the setting nor the mistake.
describe("a PINGYI_JWT_PUBLIC_KEY that cannot be used", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const spki = rsa.publicKey.export({ type: "spki", format: "pem" }).toString();
  const load = (value: string) => () =>
    loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PINGYI_JWT_PUBLIC_KEY: value });
  const refused = (value: string, reason: RegExp) => {
    expect(load(value)).toThrow(/invalid configuration:\n {2}PINGYI_JWT_PUBLIC_KEY: /);
    expect(load(value)).toThrow(reason);
  };

  it("is refused naming the setting and the mistake", () => {
    refused("garbage", /is not a PEM public key/);
    refused(spki.trim().replaceAll("\n", "\\n"), /\\n written out.*real newlines/);
    // A whole line of the body gone: the key is random, and cutting a few letters of it was
    // seen to leave a key OpenSSL still read.
    const lines = spki.trim().split("\n");
    refused([...lines.slice(0, 2), ...lines.slice(3)].join("\n"), /damaged or cut short/);
    refused(
      rsa.publicKey.export({ type: "pkcs1", format: "pem" }).toString(),
      /PKCS#1 form.*openssl rsa -RSAPublicKey_in/,
    );
    refused(`${spki}${spki}`, /holds 2 PEM blocks/);
    refused(
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      /is a certificate.*openssl x509 -in cert.pem -pubkey -noout/,
    );
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey;
    refused(small.export({ type: "spki", format: "pem" }).toString(), /1024-bit RSA key: RS256 needs 2048/);
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey;
    refused(p384.export({ type: "spki", format: "pem" }).toString(), /on secp384r1: the gateway accepts/);
    const ed = generateKeyPairSync("ed25519").publicKey;
    refused(ed.export({ type: "spki", format: "pem" }).toString(), /key of type ed25519/);
  });

  it("a private key is refused as one, and its text is not repeated", () => {
    for (const type of ["pkcs8", "pkcs1"] as const) {
      const pem = rsa.privateKey.export({ type, format: "pem" }).toString();
      refused(pem, /is a private key, where the public key is expected/);
      const body = pem.split("\n")[1]!;
      expect(load(pem)).not.toThrow(body);
    }
  });

  it("names the setting when given to the verifier directly, not through loadConfig", async () => {
    const config = {
      ...loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }),
      PINGYI_JWT_PUBLIC_KEY: "garbage",
    };
    await expect(createTokenVerifier(config)).rejects.toThrow(
      /PINGYI_JWT_PUBLIC_KEY: is not a PEM public key/,
    );
  });
});

describe("the other key settings", () => {
  it("refuses a PEM key as PINGYI_JWT_SECRET, which would make it the shared secret", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(() => loadConfig({ PINGYI_JWT_SECRET: pem })).toThrow(
      /PINGYI_JWT_SECRET: holds a PEM key.*PINGYI_JWT_PUBLIC_KEY/,
    );
  });

  it("refuses a PINGYI_JWT_JWKS that is not fetched over http or https", () => {
    for (const url of ["file:///etc/jwks.json", "ftp://id.example/jwks.json"])
      expect(() => loadConfig({ PINGYI_JWT_JWKS: url }), url).toThrow(
        /PINGYI_JWT_JWKS: must be an http:\/\/ or https:\/\/ URL/,
      );
    expect(loadConfig({ PINGYI_JWT_JWKS: "https://id.example/jwks.json" }).PINGYI_JWT_JWKS).toBe(
      "https://id.example/jwks.json",
    );
  });
});

// Tokens minted by another system (an SSO with the shared secret or a key pair) carry times from
// its clock, which may be a few seconds from the gateway's.
describe("PINGYI_JWT_CLOCK_TOLERANCE_SECONDS", () => {
  const SECRET = "t".repeat(32);
  const key = new TextEncoder().encode(SECRET);
  const now = () => Math.floor(Date.now() / 1000);
  const verifier = (tolerance: string, env: Record<string, string> = {}) =>
    createTokenVerifier(
      loadConfig({
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
        PINGYI_JWT_SECRET: SECRET,
        PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: tolerance,
        ...env,
      }),
    );
  const signed = (claims: JWTPayload) =>
    new SignJWT({ role: "viewer", ...claims })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("sso")
      .sign(key);
  const refusal = async (verify: Promise<unknown>) => {
    const err = await verify.then(
      () => expect.unreachable("the token was accepted"),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TokenError);
    return err as TokenError;
  };

  it("accepts a token 5 s past its `exp` with a tolerance of 10, and refuses it with 0", async () => {
    const token = await signed({ exp: now() - 5 });
    expect(await (await verifier("10")).verify(token)).toMatchObject({ subject: "sso", role: "viewer" });
    const refused = await refusal((await verifier("0")).verify(token));
    expect(refused.reason).toBe("ERR_JWT_EXPIRED");
    expect(refused.message).toMatch(/^this token expired at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; /);
    // The tolerance is all the slack there is.
    const older = await refusal((await verifier("10")).verify(await signed({ exp: now() - 15 })));
    expect(older.reason).toBe("ERR_JWT_EXPIRED");
  });

  it("accepts a token whose `nbf` is 5 s ahead with a tolerance of 10, and refuses it with 0", async () => {
    const token = await signed({ nbf: now() + 5, exp: now() + 3600 });
    expect(await (await verifier("10")).verify(token)).toMatchObject({ subject: "sso" });
    const early = await refusal((await verifier("0")).verify(token));
    expect(early.reason).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
    expect(early.message).toMatch(
      /^this token is not valid before .* UTC: wait until then, or check the clocks .*\(PINGYI_JWT_CLOCK_TOLERANCE_SECONDS is how far apart they may be\)$/,
    );
    await refusal((await verifier("10")).verify(await signed({ nbf: now() + 15, exp: now() + 3600 })));
  });

  it("holds tokens from a key pair to the same tolerance", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    const env = { NODE_ENV: "test", LOG_LEVEL: "silent", PINGYI_JWT_PUBLIC_KEY: pem };
    const token = await new SignJWT({ role: "analyst", exp: now() - 5 })
      .setProtectedHeader({ alg: "ES256" })
      .setSubject("sso")
      .sign(privateKey);
    const lenient = await createTokenVerifier(
      loadConfig({ ...env, PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: "10" }),
    );
    expect(await lenient.verify(token)).toMatchObject({ role: "analyst" });
    const strict = await createTokenVerifier(loadConfig({ ...env, PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: "0" }));
    expect((await refusal(strict.verify(token))).reason).toBe("ERR_JWT_EXPIRED");
  });

  it("ends a subscription's hold (acceptedUntil) when a request with the token would first be refused", async () => {
    const exp = now() + 60;
    const token = await signed({ exp });
    const lenient = await (await verifier("10")).verify(token);
    expect(lenient.acceptedUntil).toEqual(new Date((exp + 10) * 1000));
    // Messages name the token's own expiry, whatever the slack.
    expect(lenient.expiresAt).toEqual(new Date(exp * 1000));
    expect((await (await verifier("0")).verify(token)).acceptedUntil).toEqual(new Date(exp * 1000));
  });

  it("measures a token's lifetime (PINGYI_JWT_MAX_AGE_SECONDS) with the same slack", async () => {
    const hour = { PINGYI_JWT_MAX_AGE_SECONDS: "3600" };
    const lenient = await verifier("10", hour);
    const strict = await verifier("0", hour);
    const tooLong = async (token: string) =>
      expect((await refusal(strict.verify(token))).reason).toBe("TOKEN_LIFETIME_TOO_LONG");
    // An hour exactly, issued by a clock 5 s ahead: counted from its `iat`, which is not too far ahead.
    const issued = now() + 5; // read once: a second turning between two reads made it 3,601 s
    const ahead = await signed({ iat: issued, exp: issued + 3600 });
    expect(await lenient.verify(ahead)).toMatchObject({ subject: "sso" });
    // Without slack such a clock is off: the token is refused for its `iat` (below).
    expect((await refusal(strict.verify(ahead))).reason).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
    // Without `iat`, counted from now by such a clock.
    const noIat = await signed({ exp: now() + 5 + 3600 });
    expect(await lenient.verify(noIat)).toMatchObject({ subject: "sso" });
    await tooLong(noIat);
    expect((await refusal(lenient.verify(await signed({ exp: now() + 15 + 3600 })))).reason).toBe(
      "TOKEN_LIFETIME_TOO_LONG",
    );
  });

  it("refuses a token issued (`iat`) further ahead than the slack, saying the clocks are off", async () => {
    // Its lifetime, counted from an `iat` not yet come, would have looked an hour when it is longer.
    const issued = now() + 100;
    const token = await signed({ iat: issued, exp: issued + 3600 });
    for (const slack of ["0", "10"]) {
      const err = await refusal((await verifier(slack)).verify(token));
      expect(err.reason).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
      expect(err.message).toContain(
        `this token says it was issued at ${utc(issued)} (\`iat\` claim), which has not come yet: the clock of the machine that issued it is ahead of this gateway's by more than PINGYI_JWT_CLOCK_TOLERANCE_SECONDS (${slack} s)`,
      );
    }
    // Within the slack it is read as issued now.
    const close = now() + 5;
    expect(await (await verifier("10")).verify(await signed({ iat: close, exp: close + 60 }))).toMatchObject({
      subject: "sso",
    });
  });

  it("mints tokens that last exactly the duration asked", async () => {
    const { sign } = await verifier("0");
    const { decodeJwt } = await import("jose");
    for (const expires of ["1h", "90m", "1.5h"]) {
      const { iat, exp } = decodeJwt(await sign!({ role: "viewer", subject: "li" }, expires));
      expect(exp! - iat!, expires).toBe(expires === "1h" ? 3600 : 5400);
    }
  });
});

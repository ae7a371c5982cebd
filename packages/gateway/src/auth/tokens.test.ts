import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createTokenVerifier } from "./tokens.js";

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

import { describe, expect, it } from "vitest";
import { configSchema, loadConfig, unknownSettings } from "./config.js";

describe("loadConfig", () => {
  it("refuses a DATABASE_URL that is not PostgreSQL's", () => {
    // The driver ignores the scheme: mysql://db/x would quietly try localhost:5432.
    expect(() => loadConfig({ DATABASE_URL: "mysql://pingyi@db/pingyi" })).toThrow(
      "DATABASE_URL: must start with postgres:// or postgresql://",
    );
    expect(loadConfig({ DATABASE_URL: "postgresql://pingyi@db/pingyi" }).DATABASE_URL).toBe(
      "postgresql://pingyi@db/pingyi",
    );
  });

  it("says what is wrong with a setting in words", () => {
    expect(() => loadConfig({ PINGYI_MAX_COST: "5" })).toThrow(/PINGYI_MAX_COST: must be at least 100/);
  });

  it("names PINGYI_ variables it does not read, with the setting meant", () => {
    expect(
      unknownSettings({
        PINGYI_PUBLIC_RANKING: "true",
        PINGYI_NOTHING_LIKE_IT: "1",
        PINGYI_SEED: "false",
        PINGYI_TEST_DATABASE_URL: "postgres://x",
        HOME: "/root",
      }),
    ).toEqual([
      "PINGYI_NOTHING_LIKE_IT is not a setting of the gateway (docs/configuration.md lists them)",
      "PINGYI_PUBLIC_RANKING is not a setting of the gateway: did you mean PINGYI_PUBLIC_RANKINGS?",
    ]);
  });

  it("names, while DATABASE_URL is unset, variables that were most likely meant as DATABASE_URL", () => {
    const url = "postgres://pingyi:s3cret@db/pingyi";
    const meant = (name: string) =>
      `${name} is not a setting of the gateway: did you mean DATABASE_URL? Without DATABASE_URL the gateway uses the embedded database in PINGYI_DATA_DIR`;
    expect(
      unknownSettings({
        DATABASE_URI: url,
        DB_URL: url,
        PG_URL: url,
        DATABASEURL: url,
        "DATABASE_URL ": url,
        database_url: url,
        DATABSE_URL: url,
        POSTGRES_URL: url,
        DATABASE_URL: "",
      }),
    ).toEqual(
      [
        '"DATABASE_URL "',
        "DATABASEURL",
        "DATABASE_URI",
        "DATABSE_URL",
        "DB_URL",
        "PG_URL",
        "POSTGRES_URL",
        "database_url",
      ].map(meant),
    );
    // Set, it is the one read: another tool's variables beside it are none of the gateway's business.
    expect(unknownSettings({ DATABASE_URL: url, DB_URL: url })).toEqual([]);
    // Names that merely contain it belong to other tools (Prisma's shadow database, test suites).
    expect(unknownSettings({ SHADOW_DATABASE_URL: url, TEST_DATABASE_URL: url, PGHOST: "db" })).toEqual([]);
  });

  it("refuses, in production only, a secret easy to guess and keys fetched over plain http", () => {
    const production = { NODE_ENV: "production" };
    for (const secret of ["a".repeat(40), "changeme-changeme-changeme-changeme-chan", "abcdefg".repeat(6)]) {
      expect(() => loadConfig({ ...production, PINGYI_JWT_SECRET: secret })).toThrow(
        /PINGYI_JWT_SECRET: (has only \d different characters|is one text of \d+ characters repeated)/,
      );
      // The message never quotes it.
      expect(() => loadConfig({ ...production, PINGYI_JWT_SECRET: secret })).not.toThrow(secret.slice(0, 8));
      expect(loadConfig({ PINGYI_JWT_SECRET: secret }).PINGYI_JWT_SECRET).toBe(secret);
    }
    // A hex secret has 16 symbols only, and passes.
    const hex = "3f9a0c7e1b2d4a6f8e0c1b3d5f7a9c2e";
    expect(loadConfig({ ...production, PINGYI_JWT_SECRET: hex }).PINGYI_JWT_SECRET).toBe(hex);
    const jwks = { ...production, PINGYI_JWT_AUDIENCE: "pingyi" };
    expect(() => loadConfig({ ...jwks, PINGYI_JWT_JWKS: "http://id.example/jwks.json" })).toThrow(
      /PINGYI_JWT_JWKS: must be an https:\/\/ URL in production/,
    );
    for (const url of [
      "https://id.example/jwks.json",
      "http://localhost:8080/jwks.json",
      "http://127.0.0.1/jwks",
    ])
      expect(loadConfig({ ...jwks, PINGYI_JWT_JWKS: url }).PINGYI_JWT_JWKS).toBe(url);
    expect(loadConfig({ PINGYI_JWT_JWKS: "http://id.example/jwks.json" }).PINGYI_JWT_JWKS).toBe(
      "http://id.example/jwks.json",
    );
  });

  it("seeds the example year by default, but not in production unless asked", () => {
    const production = {
      NODE_ENV: "production",
      PINGYI_JWT_SECRET: "a-production-secret-0123456789abcdefgh",
    };
    expect(loadConfig({}).PINGYI_SEED).toBe(true);
    expect(loadConfig({ PINGYI_SEED: "false" }).PINGYI_SEED).toBe(false);
    expect(loadConfig(production).PINGYI_SEED).toBe(false);
    expect(loadConfig({ ...production, PINGYI_SEED: "true" }).PINGYI_SEED).toBe(true);
  });

  it("refuses a DATABASE_URL whose password holds # / ? unencoded, saying how to write it", () => {
    for (const url of [
      "postgres://pingyi:p@ss#word@127.0.0.1:5432/db",
      "postgres://pingyi:pa/ss@127.0.0.1/db",
      "postgres://pingyi:pa?ss@127.0.0.1/db",
      "postgres://pingyi:12?ss@127.0.0.1/db",
    ])
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(
        /DATABASE_URL: its user or password holds .*percent-encode them \(# %23, \/ %2F, \? %3F\).*PGPASSWORD/,
      );
    // What the driver reads right is taken: an "@" in the password, and "@" in query values.
    for (const url of [
      "postgres://pingyi:p%40ss%23w%2Frd@127.0.0.1/db",
      "postgres://pingyi:p@ss@127.0.0.1:5432/db",
      "postgres://pingyi@db/x?password=p@ss&sslmode=disable",
      "postgres://db/x?user=admin@srv&password=pw",
      "postgres://pingyi@db/x?application_name=pingyi@prod",
    ])
      expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL, url).toBe(url);
  });

  it("does not seed a PostgreSQL server's database unless asked, whatever NODE_ENV says", () => {
    const server = { DATABASE_URL: "postgres://pingyi@db.internal:5432/pingyi" };
    expect(loadConfig(server).PINGYI_SEED).toBe(false);
    expect(loadConfig({ ...server, NODE_ENV: "development" }).PINGYI_SEED).toBe(false);
    expect(loadConfig({ ...server, PINGYI_SEED: "true" }).PINGYI_SEED).toBe(true);
  });
});

describe("the configuration reference", () => {
  it("states every lower limit the gateway enforces", () => {
    // docs/configuration.md is generated from the descriptions: an operator who sets a smaller
    // PINGYI_MAX_BODY_BYTES learns of the limit from a refused start, not from the reference.
    const limits = Object.entries(configSchema.shape).flatMap(([name, schema]) => {
      try {
        loadConfig({ [name]: "0" });
        return [];
      } catch (err) {
        const least = /must be at least (\d+)/.exec((err as Error).message)?.[1];
        return least ? [{ name, least, description: schema.description ?? "" }] : [];
      }
    });
    expect(limits.map((l) => l.name)).toContain("PINGYI_CACHE_SIZE");
    for (const { name, least, description } of limits)
      expect([name, description]).toEqual([
        name,
        expect.stringMatching(new RegExp(`at least ${least}\\b|\\b${least}–`, "i")),
      ]);
  });
});

describe("PORT and HOST", () => {
  it("takes PORT in decimal digits only, naming PORT otherwise", () => {
    expect(loadConfig({ PORT: "8080" }).PORT).toBe(8080);
    expect(loadConfig({ PORT: "0" }).PORT).toBe(0);
    // Number() reads these as 16, 1000, 3 and 12: the gateway would listen on a port nobody asked for.
    for (const port of ["0x10", "1e3", "0b11", " 12", "12.0", "-1", "4000abc"])
      expect(() => loadConfig({ PORT: port }), port).toThrow(
        /PORT: must be a port number in decimal digits, 0–65535/,
      );
    expect(() => loadConfig({ PORT: "65536" })).toThrow(/PORT: must be at most 65535/);
  });

  it("takes the other whole-number settings in decimal digits only", () => {
    expect(loadConfig({ PINGYI_MAX_BODY_BYTES: "2000000" }).PINGYI_MAX_BODY_BYTES).toBe(2_000_000);
    expect(() => loadConfig({ PINGYI_MAX_BODY_BYTES: "2e6" })).toThrow(
      /PINGYI_MAX_BODY_BYTES: must be a whole number in decimal digits/,
    );
    expect(() => loadConfig({ PINGYI_RATE_LIMIT: "0x100" })).toThrow(/PINGYI_RATE_LIMIT: must be a whole/);
  });

  it("takes the rate-limit window in milliseconds, refusing what reads as seconds or more than a day", () => {
    expect(loadConfig({ PINGYI_RATE_LIMIT_WINDOW_MS: "1000" }).PINGYI_RATE_LIMIT_WINDOW_MS).toBe(1000);
    expect(loadConfig({ PINGYI_RATE_LIMIT_WINDOW_MS: "86400000" }).PINGYI_RATE_LIMIT_WINDOW_MS).toBe(
      86_400_000,
    );
    // Seconds by mistake: a 60 ms window, in which no client reaches the limit.
    for (const seconds of ["60", "10", "999"])
      expect(() => loadConfig({ PINGYI_RATE_LIMIT_WINDOW_MS: seconds }), seconds).toThrow(
        "PINGYI_RATE_LIMIT_WINDOW_MS: must be at least 1000: it is in milliseconds (a minute is 60000, not 60), and a shorter window is one no client fills",
      );
    expect(() => loadConfig({ PINGYI_RATE_LIMIT_WINDOW_MS: "99999999999999" })).toThrow(
      "PINGYI_RATE_LIMIT_WINDOW_MS: must be at most 86400000 milliseconds (a day)",
    );
    expect(() => loadConfig({ PINGYI_RATE_LIMIT_WINDOW_MS: "60s" })).toThrow(
      "PINGYI_RATE_LIMIT_WINDOW_MS: must be a whole number of milliseconds, 1000–86400000",
    );
  });

  it("takes HOST as an IP address or a host name", () => {
    for (const host of ["127.0.0.1", "0.0.0.0", "::", "::1", "localhost", "gateway-1.internal", "localhost."])
      expect(loadConfig({ HOST: host }).HOST, host).toBe(host);
  });

  it("refuses a HOST that is neither, naming HOST and what to write instead", () => {
    const refused: [string, RegExp][] = [
      ["http://0.0.0.0", /HOST: is a URL, not an address/],
      ["0.0.0.0:4000", /HOST: must not include a port: set the port with PORT/],
      ["[::1]", /HOST: write an IPv6 address without brackets/],
      ["127.0.0.256", /HOST: is neither an IP address nor a host name/],
      ["0.0.0.0 ", /HOST: is neither an IP address nor a host name/],
      ["my_host", /HOST: is neither an IP address nor a host name/],
      ["-gw", /HOST: is neither an IP address nor a host name/],
      [`${"a".repeat(64)}.example`, /HOST: is neither an IP address nor a host name/],
    ];
    for (const [host, message] of refused) expect(() => loadConfig({ HOST: host }), host).toThrow(message);
  });
});

describe("JWT key settings", () => {
  const SECRET = "s".repeat(40);
  const JWKS = "https://id.example/jwks.json";
  const PEM = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";

  it("refuses two at once, naming both and saying to keep one", () => {
    // Tokens are checked against one of them only: a secret left over from before an identity
    // provider would be silently set aside, or the provider's keys would.
    expect(() => loadConfig({ PINGYI_JWT_SECRET: SECRET, PINGYI_JWT_JWKS: JWKS })).toThrow(
      /invalid configuration:\n {2}PINGYI_JWT_SECRET, PINGYI_JWT_JWKS: both are set.*keep one/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: "production", PINGYI_JWT_SECRET: SECRET, PINGYI_JWT_JWKS: JWKS }),
    ).toThrow(/PINGYI_JWT_SECRET, PINGYI_JWT_JWKS: both are set/);
  });

  it("refuses three at once, naming all three", () => {
    expect(() =>
      loadConfig({ PINGYI_JWT_SECRET: SECRET, PINGYI_JWT_PUBLIC_KEY: PEM, PINGYI_JWT_JWKS: JWKS }),
    ).toThrow(/PINGYI_JWT_SECRET, PINGYI_JWT_PUBLIC_KEY, PINGYI_JWT_JWKS: all three are set/);
  });

  it("lists the conflict with the other bad settings", () => {
    expect(() => loadConfig({ PINGYI_JWT_SECRET: SECRET, PINGYI_JWT_JWKS: JWKS, PORT: "0x10" })).toThrow(
      /PORT: must be a port number.*\n {2}PINGYI_JWT_SECRET, PINGYI_JWT_JWKS: both are set/,
    );
  });

  it("takes one alone, and none (the development secret) outside production", () => {
    expect(loadConfig({ PINGYI_JWT_SECRET: SECRET }).PINGYI_JWT_SECRET).toBe(SECRET);
    expect(loadConfig({ PINGYI_JWT_JWKS: JWKS }).PINGYI_JWT_JWKS).toBe(JWKS);
    const none = loadConfig({});
    expect([none.PINGYI_JWT_SECRET, none.PINGYI_JWT_PUBLIC_KEY, none.PINGYI_JWT_JWKS]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    // docker-compose writes blank variables as empty strings: those are unset, not a second key.
    expect(loadConfig({ PINGYI_JWT_SECRET: "", PINGYI_JWT_JWKS: JWKS }).PINGYI_JWT_JWKS).toBe(JWKS);
  });
});

describe("PINGYI_JWT_CLOCK_TOLERANCE_SECONDS", () => {
  it("is 5 seconds unless set, and takes whole seconds from 0 to 300", () => {
    expect(loadConfig({}).PINGYI_JWT_CLOCK_TOLERANCE_SECONDS).toBe(5);
    expect(loadConfig({ PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: "" }).PINGYI_JWT_CLOCK_TOLERANCE_SECONDS).toBe(5);
    for (const [value, seconds] of [
      ["0", 0],
      ["30", 30],
      ["300", 300],
    ] as const)
      expect(
        loadConfig({ PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: value }).PINGYI_JWT_CLOCK_TOLERANCE_SECONDS,
      ).toBe(seconds);
  });

  it("refuses anything else, naming the setting and the reason", () => {
    for (const value of ["-1", "1.5", "5s", " 5", "0x10", "1e2", "ten"])
      expect(() => loadConfig({ PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: value }), value).toThrow(
        /^invalid configuration:\n {2}PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: must be a whole number of seconds, 0–300$/,
      );
    for (const value of ["301", "3600", "99999999999999999999"])
      expect(() => loadConfig({ PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: value }), value).toThrow(
        /^invalid configuration:\n {2}PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: must be at most 300 seconds: a clock further off is to be fixed \(NTP\), not allowed for$/,
      );
  });

  it("is a setting of the gateway, not warned about as unknown", () => {
    expect(unknownSettings({ PINGYI_JWT_CLOCK_TOLERANCE_SECONDS: "5" })).toEqual([]);
    expect(unknownSettings({ PINGYI_JWT_CLOCK_TOLERANCE: "5" })).toEqual([
      "PINGYI_JWT_CLOCK_TOLERANCE is not a setting of the gateway: did you mean PINGYI_JWT_CLOCK_TOLERANCE_SECONDS?",
    ]);
  });
});

describe("PINGYI_ANALYSIS_SECONDS_PER_MINUTE", () => {
  it("is 30 seconds unless set, and takes 0 (no limit) or whole seconds from 2", () => {
    expect(loadConfig({}).PINGYI_ANALYSIS_SECONDS_PER_MINUTE).toBe(30);
    for (const [value, seconds] of [
      ["0", 0],
      ["2", 2],
      ["600", 600],
    ] as const)
      expect(
        loadConfig({ PINGYI_ANALYSIS_SECONDS_PER_MINUTE: value }).PINGYI_ANALYSIS_SECONDS_PER_MINUTE,
      ).toBe(seconds);
  });

  it("refuses 1, which one request's budget does not fit, and anything but digits", () => {
    expect(() => loadConfig({ PINGYI_ANALYSIS_SECONDS_PER_MINUTE: "1" })).toThrow(
      /^invalid configuration:\n {2}PINGYI_ANALYSIS_SECONDS_PER_MINUTE: must be 0 \(no limit\) or at least 2: one request may spend about 1\.5 s, which a subject's minute must hold$/,
    );
    for (const value of ["-1", "1.5", "30s", "3e1"])
      expect(() => loadConfig({ PINGYI_ANALYSIS_SECONDS_PER_MINUTE: value }), value).toThrow(
        /PINGYI_ANALYSIS_SECONDS_PER_MINUTE: must be a whole number in decimal digits/,
      );
  });
});

import { request } from "node:http";
import { connect } from "node:net";
import { consoleDir } from "@pingyi/console/serve";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, SECRET, startTestServer, type TestServer } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    body.errors?.[0]?.extensions?.code;

  describe("every role is denied what it may not do", () => {
    const adminMutation = `mutation { upsertGroup(cycleId: "2019", input: { id: "x", name: "X" }) { __typename } }`;
    const analystMutation = `mutation { saveScenario(input: { cycleId: "2019", name: "s", patch: {} }) { __typename } }`;

    it("refuses anonymous callers everything when rankings are private", async () => {
      for (const q of [
        `{ ranking(cycleId: "2019") { __typename } }`,
        `{ cycles { edges { node { id } } } }`,
        adminMutation,
      ]) {
        const { body } = await t.gql(q);
        expect(codeOf(body)).toBe("UNAUTHENTICATED");
        // How to send one, and where to get one: the first thing a newcomer meets.
        expect(body.errors?.[0]?.message).toMatch(
          /`Authorization: Bearer <token>`.*`pingyi token <role> <subject>`/,
        );
      }
    });

    it("refuses viewers scenarios and administration, analysts administration", async () => {
      const before = await t.lastAuditId();
      expect(codeOf((await t.gql(adminMutation, {}, { as: "viewer" })).body)).toBe("FORBIDDEN");
      expect(codeOf((await t.gql(analystMutation, {}, { as: "viewer" })).body)).toBe("FORBIDDEN");
      expect(codeOf((await t.gql(`{ scenarios(cycleId: "2019") { id } }`, {}, { as: "viewer" })).body)).toBe(
        "FORBIDDEN",
      );
      expect(codeOf((await t.gql(adminMutation, {}, { as: "analyst" })).body)).toBe("FORBIDDEN");
      expect(
        codeOf(
          (await t.gql(`mutation { finaliseCycle(cycleId: "2019") { __typename } }`, {}, { as: "analyst" }))
            .body,
        ),
      ).toBe("FORBIDDEN");
      expect(await t.lastAuditId()).toBe(before);
    });

    it("lets analysts keep scenarios to themselves until shared", async () => {
      const saved = await t.gql(analystMutation, {}, { as: "analyst", subject: "ann" });
      expect(saved.body.data.saveScenario.__typename).toBe("Scenario");
      const mine = await t.gql(
        `{ scenarios(cycleId: "2019") { id name shared } }`,
        {},
        { as: "analyst", subject: "ann" },
      );
      const id = mine.body.data.scenarios[0].id;
      const other = await t.gql(
        `{ scenarios(cycleId: "2019") { id } }`,
        {},
        { as: "analyst", subject: "bob" },
      );
      expect(other.body.data.scenarios).toEqual([]);
      const steal = await t.gql(
        `mutation($id: ID!) { shareScenario(id: $id) { __typename ... on Error { code } } }`,
        { id },
        { as: "analyst", subject: "bob" },
      );
      expect(["NotFoundError", "ForbiddenError"]).toContain(steal.body.data.shareScenario.__typename);
      await t.gql(
        `mutation($id: ID!) { shareScenario(id: $id) { __typename } }`,
        { id },
        { as: "analyst", subject: "ann" },
      );
      const shared = await t.gql(
        `{ scenarios(cycleId: "2019") { id } }`,
        {},
        { as: "analyst", subject: "bob" },
      );
      expect(shared.body.data.scenarios).toEqual([{ id }]);
    });

    it("rejects expired, unsigned, wrongly signed and role-less tokens", async () => {
      const key = new TextEncoder().encode(SECRET);
      const expired = await new SignJWT({ role: "admin" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("x")
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(key);
      const noExp = await new SignJWT({ role: "admin" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("x")
        .sign(key);
      const otherAlg = await new SignJWT({ role: "admin" })
        .setProtectedHeader({ alg: "HS512" })
        .setSubject("x")
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode(`${SECRET}${SECRET}`));
      const wrongKey = await new SignJWT({ role: "admin" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("x")
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode("another-secret-another-secret-another-secret"));
      const noRole = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("x")
        .setExpirationTime("1h")
        .sign(key);
      const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(
        JSON.stringify({ sub: "x", role: "admin", exp: Math.floor(Date.now() / 1000) + 600 }),
      ).toString("base64url")}.`;
      for (const token of [expired, noExp, otherAlg, wrongKey, noRole, none, "garbage"]) {
        const { status, body } = await t.gql(`{ __typename }`, {}, { token });
        expect(status).toBe(401);
        expect(codeOf(body)).toBe("UNAUTHENTICATED");
      }
    });

    it("says in a sentence why a token was refused and what to do about it", async () => {
      const key = new TextEncoder().encode(SECRET);
      const now = Math.floor(Date.now() / 1000);
      const signed = (claims: Record<string, unknown>, edit = (j: SignJWT) => j) =>
        edit(new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("x")).sign(key);
      const refusal = async (token: string) => {
        const { status, body } = await t.gql(`{ __typename }`, {}, { token });
        expect(status).toBe(401);
        expect(codeOf(body)).toBe("UNAUTHENTICATED");
        const message = String(body.errors?.[0]?.message);
        expect(message).not.toMatch(/ERR_|invalid token/);
        return message;
      };
      const renew = /`pingyi token <role> <subject>`.*administrator/;

      // 2020-01-02 03:04:05 UTC, a second the message can name exactly.
      const expired = await refusal(await signed({ role: "admin" }, (j) => j.setExpirationTime(1577934245)));
      expect(expired).toMatch(/expired at 2020-01-02 03:04:05 UTC/);
      expect(expired).toMatch(renew);
      // Programs read the reason, not the sentence.
      const reasonOf = async (headers: Record<string, string>) => {
        const res = await fetch(`${t.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ query: "{ __typename }" }),
        });
        return ((await res.json()) as { errors: { extensions: { reason?: string } }[] }).errors[0]!.extensions
          .reason;
      };
      const old = await signed({ role: "admin" }, (j) => j.setExpirationTime(1577934245));
      expect(await reasonOf({ authorization: `Bearer ${old}` })).toBe("ERR_JWT_EXPIRED");
      expect(await reasonOf({ authorization: "Basic x" })).toBe("HEADER_MALFORMED");

      const otherSecret = await new SignJWT({ role: "admin" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("x")
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode("another-secret-another-secret-another-secret"));
      const signature = await refusal(otherSecret);
      expect(signature).toMatch(/signature/);
      expect(signature).toMatch(/another gateway/);
      expect(signature).toMatch(/PINGYI_JWT_SECRET/);
      expect(signature).toMatch(renew);

      for (const garbage of ["garbage", "a.b", (await signed({ role: "admin" })).split(".")[0]!]) {
        expect(await refusal(garbage)).toMatch(/not a well-formed token.*copied whole/);
      }

      const early = await refusal(
        await signed({ role: "admin", nbf: 4102444800 }, (j) => j.setExpirationTime("1h")),
      );
      expect(early).toMatch(/not valid before 2100-01-01 00:00:00 UTC/);

      expect(await refusal(await signed({ role: "admin" }))).toMatch(/no expiry \(`exp` claim\)/);
      const noSubject = await new SignJWT({ role: "admin" })
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime("1h")
        .sign(key);
      expect(await refusal(noSubject)).toMatch(/names no subject \(`sub` claim\)/);
      // A subject that names no one is refused as a missing one: every write needs whom to audit.
      for (const sub of [" ", "\t\n", null]) {
        const blank = await new SignJWT({ role: "admin", sub: sub as string })
          .setProtectedHeader({ alg: "HS256" })
          .setExpirationTime("1h")
          .sign(key);
        const said = await refusal(blank);
        expect(said).toMatch(/^this token names no subject \(`sub` claim\), whom the audit log would name; /);
        expect(said).toMatch(renew);
      }
      const numbered = await new SignJWT({ role: "admin", sub: 7 as unknown as string })
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime("1h")
        .sign(key);
      expect(await refusal(numbered)).toMatch(/^this token's subject \(`sub` claim\) is not text/);
      expect(await refusal(await signed({}, (j) => j.setExpirationTime("1h")))).toMatch(
        /no `role` claim: it needs viewer, analyst or admin/,
      );
      expect(await refusal(await signed({ role: "superuser", exp: now + 600 }))).toMatch(
        /role "superuser" is not viewer, analyst or admin/,
      );

      const hs512 = await new SignJWT({ role: "admin" })
        .setProtectedHeader({ alg: "HS512" })
        .setSubject("x")
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode(`${SECRET}${SECRET}`));
      expect(await refusal(hs512)).toMatch(/signed with HS512.*accepts only HS256/);
      const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(
        JSON.stringify({ sub: "x", role: "admin", exp: now + 600 }),
      ).toString("base64url")}.`;
      expect(await refusal(none)).toMatch(/not signed/);
    });

    it("names the caller's role and the least role a refused field needs", async () => {
      const refusal = async (query: string, as: "viewer" | "analyst") => {
        const { body } = await t.gql(query, {}, { as });
        expect(codeOf(body)).toBe("FORBIDDEN");
        return body.errors?.[0] ?? { message: "no error" };
      };
      const sweep = await refusal(
        `{ weightSweep(cycleId: "2019", category: "organ") { __typename } }`,
        "viewer",
      );
      expect(sweep.message).toBe("viewer may not run weightSweep: it needs analyst or admin");
      expect(sweep.extensions).toMatchObject({ role: "viewer", needed: "analyst" });
      // Beside a field the viewer may read, the refusal takes the whole request (graphql.md says so).
      const both = await t.gql(
        `{ ranking(cycleId: "2019") { __typename } weightSweep(cycleId: "2019", category: "organ") { __typename } }`,
        {},
        { as: "viewer" },
      );
      expect(codeOf(both.body)).toBe("FORBIDDEN");
      expect(both.body.data).toBeNull();
      expect(
        (
          await refusal(
            `mutation { upsertGroup(cycleId: "2019", input: { id: "x", name: "X" }) { __typename } }`,
            "analyst",
          )
        ).message,
      ).toBe("analyst may not run upsertGroup: it needs admin");
      expect(
        (await refusal(`{ cycle(id: "2019") { ... on Cycle { imports { id } } } }`, "viewer")).message,
      ).toBe("viewer may not read Cycle.imports: it needs admin");
      // A field whose scopes depend on its arguments names the scope those arguments chose.
      expect(
        (await refusal(`{ ranking(cycleId: "2019", scenarioId: "s") { __typename } }`, "viewer")).message,
      ).toBe("viewer may not run ranking: it needs analyst or admin");
    });

    it("refuses a POST without a Content-Length, with a code", async () => {
      // A streamed body goes chunked, with no length to check against the limit.
      const chunked = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new Blob([JSON.stringify({ query: `{ __typename }` })]).stream(),
        duplex: "half",
      } as RequestInit);
      expect(chunked.status).toBe(411);
      expect(codeOf(await chunked.json())).toBe("LENGTH_REQUIRED");
    });

    it("refuses a request that arrives while the server shuts down, with a code", async () => {
      const own = await startTestServer({ backend, seed: false });
      const { port, hostname } = new URL(own.url);
      // A request in flight keeps its connection open through the shutdown: one sent after it on
      // the same connection (pipelined) reaches the server once the shutdown has begun. The
      // server's "100 Continue" says the first is being handled, so the shutdown waits for it.
      const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ""));
      let answer = "";
      const handling = new Promise<void>((resolve) =>
        socket.on("data", (d) => {
          answer += String(d);
          if (answer.startsWith("HTTP/1.1 100 Continue\r\n\r\n")) {
            answer = answer.slice("HTTP/1.1 100 Continue\r\n\r\n".length);
            resolve();
          }
        }),
      );
      const ended = new Promise((r) => socket.once("close", r));
      const body = JSON.stringify({ query: `{ __typename }` });
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      );
      await handling;
      const closed = own.close();
      socket.write(`${body}GET /health HTTP/1.1\r\nHost: x\r\n\r\n`);
      await ended;
      await closed;
      const second = answer.slice(answer.indexOf("HTTP/1.1", 1));
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(second).toMatch(/^HTTP\/1\.1 503 /);
      expect(second).toMatch(/^connection: close\r$/im);
      // The body comes chunked: size lines between the pieces.
      const chunks = second.slice(second.indexOf("\r\n\r\n") + 4).split("\r\n");
      const json = chunks.filter((_, i) => i % 2 === 1).join("");
      expect(codeOf(JSON.parse(json))).toBe("UNAVAILABLE");
    });

    it("refuses simple cross-site requests without a preflight header (CSRF)", async () => {
      const res = await fetch(`${t.url}/graphql?query=${encodeURIComponent("{ __typename }")}`);
      expect(res.status).toBe(403);
      const form = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(form.status).toBe(403);
    });

    it("refuses oversized bodies and over-deep queries", async () => {
      const big = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ __typename }`, variables: { pad: "x".repeat(1_100_000) } }),
      });
      expect(big.status).toBe(413);
      // Refused before GraphQL runs, yet with a code as every other error: yoga's own for 413.
      expect(codeOf(await big.json())).toBe("REQUEST_ENTITY_TOO_LARGE");
      const deep = `{ ranking(cycleId: "2019") { ... on Ranking { cycle { scheme { __typename } } entries { edges { node { unit { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } } }`;
      const { body } = await t.gql(deep, {}, { as: "viewer" });
      expect(body.errors?.[0]?.message).toMatch(/depth/i);
    });
  });

  describe("work the cost limit cannot see", () => {
    it("refuses an unpaged list asked for inside itself, however the query is written", async () => {
      const loop = (inner: string) =>
        `{ units(cycleId: "2019", first: 2) { edges { node { results { cycleId unit { ${inner} } } } } } }`;
      const refused = [
        loop("results { cycleId }"),
        // Through a fragment, an inline fragment, and a fragment of a fragment.
        `{ units(cycleId: "2019", first: 2) { edges { node { ...History } } } }
         fragment History on Unit { results { unit { ...Again } } }
         fragment Again on Unit { results { cycleId } }`,
        loop("... on Unit { results { cycleId } }"),
        `{ units(cycleId: "2019", first: 2) { edges { node { ...H } } } }
         fragment H on Unit { results { unit { ...H2 } } }
         fragment H2 on Unit { ...H3 }
         fragment H3 on Unit { x: results { cycleId } }`,
      ];
      for (const q of refused) {
        const { body } = await t.gql(q, {}, { as: "viewer" });
        expect(codeOf(body), q).toBe("QUERY_TOO_COSTLY");
        expect(body.errors?.[0]?.message, q).toMatch(
          /`Unit\.results` is asked for inside another `Unit\.results`/,
        );
        expect(body.data, q).toBeUndefined();
      }
      // One level, and the same list twice side by side, are priced as they should be.
      for (const q of [
        loop("id name"),
        `{ units(cycleId: "2019", first: 2) { edges { node { a: results { cycleId } b: results { total } } } } }`,
      ]) {
        const { body } = await t.gql(q, {}, { as: "viewer" });
        expect(body.errors, q).toBeUndefined();
        expect(body.data.units.edges).toHaveLength(2);
      }
    });

    it("answers 404 on paths yoga would also take for /graphql, where the CSRF check does not look", async () => {
      const before = await t.lastAuditId();
      const admin = await t.token("admin");
      const mutation = `mutation { updateCycle(cycleId: "2019", input: { name: "renamed cross-site" }) { __typename } }`;
      for (const path of ["/graphql/", "//graphql", "/anything/graphql", "/graphql/graphql"]) {
        const { status, body } = await rawRequest(t.url, "POST", path, {
          headers: { authorization: `Bearer ${admin}`, "content-type": "application/x-www-form-urlencoded" },
          body: `query=${encodeURIComponent(mutation)}`,
        });
        expect(status, path).toBe(404);
        expect(JSON.parse(body).errors[0].extensions.code, path).toBe("NOT_FOUND");
      }
      expect(await t.lastAuditId()).toBe(before);
      // The API itself still answers, and still asks a simple request for its header.
      const at = await rawRequest(t.url, "POST", "/graphql", {
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/x-www-form-urlencoded" },
        body: `query=${encodeURIComponent(mutation)}`,
      });
      expect(at.status).toBe(403);
      expect((await fetch(`${t.url}/health`)).status).toBe(200);
    });

    it("refuses an upload without an admin's token before reading its body", async () => {
      const viewer = await t.token("viewer");
      for (const [headers, status] of [
        [{}, 401],
        [{ authorization: "Bearer not-a-token" }, 401],
        [{ authorization: `Bearer ${viewer}` }, 403],
      ] as const) {
        // 40 MB announced, a few bytes sent: an answer before the rest proves the body was not awaited.
        const answer = await partialUpload(t.url, headers, 40_000_000);
        expect(answer.status, JSON.stringify(headers)).toBe(status);
        expect(JSON.parse(answer.body).errors[0].extensions.code).toBe(
          status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN",
        );
        // A bad token is refused in the words it is refused everywhere; no token or a lesser role, as an upload's.
        expect(JSON.parse(answer.body).errors[0].message).toMatch(
          "authorization" in headers && status === 401 ? /token/ : /upload.*admin/,
        );
      }
      // A bad token's refusal says why to programs as an ordinary request's does (`reason`).
      const bad = { authorization: "Bearer not-a-token" };
      const upload = JSON.parse((await partialUpload(t.url, bad, 40_000_000)).body).errors[0].extensions;
      const ordinary = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { ...bad, "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      const { extensions } = (await ordinary.json()).errors[0];
      expect(extensions.reason).toEqual(expect.any(String));
      expect(upload).toEqual({ code: "UNAUTHENTICATED", reason: extensions.reason });
      // An admin's upload is read and answered as before (here: a query, no file).
      const admin = await t.token("admin");
      const form = new FormData();
      form.set("operations", JSON.stringify({ query: "{ __typename }" }));
      form.set("map", "{}");
      const ok = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "x-pingyi-client": "test" },
        body: form,
      });
      expect(ok.status).toBe(200);
      expect((await ok.json()).data).toEqual({ __typename: "Query" });
    });
  });

  describe("bad input is answered with typed errors and nothing is written", () => {
    it("lists every problem of an invalid scheme with its path", async () => {
      const before = await t.lastAuditId();
      const { body } = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) {
        __typename ... on ValidationError { code issues { path message } } } }`,
        {
          i: {
            schemeId: "city-review",
            basedOn: 2,
            document: { id: "city-review", categories: [{ id: "a", points: -1 }] },
            reason: "bad",
          },
        },
        { as: "admin" },
      );
      expect(body.data.publishSchemeVersion.__typename).toBe("ValidationError");
      expect(body.data.publishSchemeVersion.issues.length).toBeGreaterThan(1);
      expect(
        body.data.publishSchemeVersion.issues.every((i: { path: string }) =>
          i.path.startsWith("input.document."),
        ),
      ).toBe(true);
      expect(await t.lastAuditId()).toBe(before);
    });

    it("validates arguments, finding types against the scheme, and missing things", async () => {
      const before = await t.lastAuditId();
      const empty = await t.gql(
        `mutation { upsertUnit(cycleId: "2019", input: { id: " ", name: "", group: "g" }) { __typename ... on ValidationError { issues { path } } } }`,
        {},
        { as: "admin" },
      );
      expect(empty.body.data.upsertUnit.__typename).toBe("ValidationError");
      expect(empty.body.data.upsertUnit.issues.map((i: { path: string }) => i.path).sort()).toEqual([
        "input.id",
        "input.name",
      ]);

      const finding = await t.gql(
        `mutation { recordFinding(cycleId: "2019", input: { id: "F-new", unitId: "U01", type: "no-such-type", level: "city" }) {
        __typename ... on ValidationError { issues { path message } } } }`,
        {},
        { as: "admin" },
      );
      expect(finding.body.data.recordFinding.__typename).toBe("ValidationError");
      expect(finding.body.data.recordFinding.issues[0].path).toBe("input.type");

      const missing = await t.gql(
        `mutation { setScore(cycleId: "nope", unitId: "U01", category: "business", value: "1") { __typename ... on NotFoundError { entity id } } }`,
        {},
        { as: "admin" },
      );
      expect(missing.body.data.setScore).toEqual({
        __typename: "NotFoundError",
        entity: "cycle",
        id: "nope",
      });

      const badImport = new FormData();
      badImport.append(
        "operations",
        JSON.stringify({
          query: `mutation($file: File!) { importFile(cycleId: "2019", importId: "bad-1", kind: SCORES, format: CSV, file: $file) {
          __typename ... on ImportError { totalErrors rows { line message } } } }`,
          variables: { file: null },
        }),
      );
      badImport.append("map", JSON.stringify({ 0: ["variables.file"] }));
      badImport.append("0", new Blob(["unit,category,value\nU01,business,abc\nNOPE,business,3\n"]), "s.csv");
      const res = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { authorization: `Bearer ${await t.token("admin")}`, "x-pingyi-client": "test" },
        body: badImport,
      });
      const imported = (await res.json()) as any;
      expect(imported.data.importFile.__typename).toBe("ImportError");
      expect(imported.data.importFile.totalErrors).toBe(2);
      expect(await t.lastAuditId()).toBe(before);

      // Rows the store accepts but the scheme rejects (45 of a 30-point scale) roll the whole
      // import back inside its transaction: nothing committed, not even for a moment.
      const unit = await t.gql(
        `mutation { upsertUnit(cycleId: "2019", input: { id: "U99", name: "市测试局", group: "law-enforcement" }) { __typename } }`,
        {},
        { as: "admin" },
      );
      expect(unit.body.data.upsertUnit.__typename).toBe("Unit");
      const afterUnit = await t.lastAuditId();
      const schemeBad = new FormData();
      schemeBad.append(
        "operations",
        JSON.stringify({
          query: `mutation($file: File!) { importFile(cycleId: "2019", importId: "bad-2", kind: SCORES, format: CSV, file: $file) {
          __typename ... on ImportError { rows { line column message } } } }`,
          variables: { file: null },
        }),
      );
      schemeBad.append("map", JSON.stringify({ 0: ["variables.file"] }));
      schemeBad.append("0", new Blob(["unit,category,value\nU99,business,45\n"]), "s.csv");
      const rejected = (await (
        await fetch(`${t.url}/graphql`, {
          method: "POST",
          headers: { authorization: `Bearer ${await t.token("admin")}`, "x-pingyi-client": "test" },
          body: schemeBad,
        })
      ).json()) as any;
      expect(rejected.data.importFile.__typename).toBe("ImportError");
      expect(rejected.data.importFile.rows).toEqual([
        { line: 2, column: "value", message: expect.stringMatching(/outside 0–30/) },
      ]);
      expect(await t.lastAuditId()).toBe(afterUnit);
      const imports = await t.store.imports.list("2019");
      expect(imports.map((i) => i.id)).not.toContain("bad-2");
      expect(await t.store.records.listScores("2019", { unit: "U99" })).toEqual([]);
    });

    it("masks unexpected errors", async () => {
      const { body } = await t.gql(
        `{ schemeVersion(schemeId: "city-review", version: 2147483647) { __typename } }`,
        {},
        { as: "viewer" },
      );
      expect(JSON.stringify(body)).not.toMatch(/stack|pglite|postgres/i);
    });
  });

  describe("groups", () => {
    it("refuses to store a ranked flag that contradicts the cycle's scheme", async () => {
      const r = await t.gql(
        `mutation { upsertGroup(cycleId: "2019", input: { id: "law-enforcement", ranked: false }) {
          __typename ... on ValidationError { issues { path message } } } }`,
        {},
        { as: "admin" },
      );
      expect(r.body.data.upsertGroup.__typename).toBe("ValidationError");
      expect(r.body.data.upsertGroup.issues[0].path).toBe("input.ranked");
      const groups = await t.gql(`{ groups(cycleId: "2019") { id ranked } }`, {}, { as: "viewer" });
      expect(groups.body.data.groups.find((g: any) => g.id === "law-enforcement").ranked).toBe(true);
    });

    it("creates a group the scheme declares named and ranked as declared, as upsertUnit does", async () => {
      const scheme = (await t.store.schemes.get("city-review", 2)).document as { groups: unknown[] };
      await t.store.schemes.publish("test", {
        schemeId: "with-unranked",
        basedOn: null,
        document: {
          ...scheme,
          id: "with-unranked",
          version: 1,
          groups: [...scheme.groups, { id: "others", name: "其他单位 others", ranked: false }],
        },
        reason: "a group evaluated but not ranked",
      });
      await t.store.cycles.create("test", {
        id: "unranked-group",
        year: 2040,
        name: "unranked",
        schemeId: "with-unranked",
        schemeVersion: 1,
      });
      const r = await t.gql(
        `mutation { upsertGroup(cycleId: "unranked-group", input: { id: "others" }) {
          __typename ... on Group { id name ranked } ... on Error { message } } }`,
        {},
        { as: "admin" },
      );
      expect(r.body.data.upsertGroup).toEqual({
        __typename: "Group",
        id: "others",
        name: "其他单位 others",
        ranked: false,
      });
      // A rename keeps the scheme's word on ranking.
      const renamed = await t.gql(
        `mutation { upsertGroup(cycleId: "unranked-group", input: { id: "others", name: "其他" }) {
          ... on Group { name ranked } } }`,
        {},
        { as: "admin" },
      );
      expect(renamed.body.data.upsertGroup).toEqual({ name: "其他", ranked: false });
    });
  });

  describe("finalising", () => {
    it("refuses to freeze a year that cannot be scored, and leaves it open", async () => {
      const [original] = await t.store.records.listScores("2018", { unit: "U01", category: "business" });
      // A raw store write the scheme rejects (45 of a 30-point scale) makes the year unscorable.
      // 2018, which follows no cycle: 2019 would be refused first for following an open 2018.
      await t.store.records.setScore("test", "2018", { unit: "U01", category: "business", value: "45" });
      try {
        const refused = await t.gql(
          `mutation { finaliseCycle(cycleId: "2018") { __typename ... on ValidationError { issues { path message } } } }`,
          {},
          { as: "admin" },
        );
        expect(refused.body.data.finaliseCycle.__typename).toBe("ValidationError");
        expect(JSON.stringify(refused.body.data.finaliseCycle.issues)).toMatch(/outside 0–30/);
        expect((await t.store.cycles.get("2018")).status).toBe("open");
      } finally {
        await t.store.records.setScore("test", "2018", original!);
      }
    });
  });

  describe("publishing races", () => {
    it("lets exactly one of two concurrent publishers win; the other gets a ConflictError", async () => {
      const latest = await t.gql(
        `{ schemeVersion(schemeId: "city-review") { ... on SchemeVersion { version document } } }`,
        {},
        { as: "admin" },
      );
      const { version, document } = latest.body.data.schemeVersion;
      const publish = (who: string) =>
        t.gql(
          `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on SchemeVersion { version } ... on ConflictError { code message } } }`,
          {
            i: {
              schemeId: "city-review",
              basedOn: version,
              document: { ...document, version: version + 1, name: `${document.name} (${who})` },
              reason: `edit by ${who}`,
            },
          },
          { as: "admin", subject: who },
        );
      const results = await Promise.all([publish("li"), publish("wang")]);
      const types = results.map((r) => r.body.data.publishSchemeVersion.__typename).sort();
      expect(types).toEqual(["ConflictError", "SchemeVersion"]);
    });
  });

  describe("configuration switches", () => {
    it("serves rankings without a token when PINGYI_PUBLIC_RANKINGS=true, but not breakdowns", async () => {
      const pub = await startTestServer({ backend, env: { PINGYI_PUBLIC_RANKINGS: "true" } });
      try {
        const ok = await pub.gql(
          `{ ranking(cycleId: "2019") { ... on Ranking { entries(first: 1) { edges { node { rank } } } } } }`,
        );
        expect(ok.body.data.ranking.entries.edges[0].node.rank).toBe(1);
        const denied = await pub.gql(`{ scoreBreakdown(cycleId: "2019", unitId: "U01") { __typename } }`);
        expect(codeOf(denied.body)).toBe("UNAUTHENTICATED");
        // The same explanations reached through the ranking's entries stay empty without a token…
        const explain = `{ ranking(cycleId: "2019") { ... on Ranking { entries(first: 1) { edges { node {
          total categories { points trace { text } details { key } } adjustments { record } caps trace { text }
          eligibility { excellence reasons { text } } } } } } } }`;
        const anonymous = (await pub.gql(explain)).body.data.ranking.entries.edges[0].node;
        expect(anonymous.total).toMatch(/^\d+\.\d\d$/);
        expect(anonymous.categories[0].points).toMatch(/^\d+\.\d\d$/);
        expect([
          anonymous.trace,
          anonymous.adjustments,
          anonymous.caps,
          anonymous.eligibility.reasons,
        ]).toEqual([[], [], [], []]);
        expect(anonymous.categories.flatMap((c: any) => [...c.trace, ...c.details])).toEqual([]);
        // …and are there for a viewer.
        const viewer = (await pub.gql(explain, {}, { as: "viewer" })).body.data.ranking.entries.edges[0].node;
        expect(viewer.trace.length).toBeGreaterThan(0);
        expect(viewer.categories[0].trace.length).toBeGreaterThan(0);
      } finally {
        await pub.close();
      }
    });

    it("suggests a misspelt field's name where introspection is on", async () => {
      const intro = await t.gql(`{ __schema { queryType { name } } }`, {}, { as: "viewer" });
      expect(intro.body.data.__schema.queryType.name).toBe("Query");
      const misspelt = await t.gql(`{ cyclez { __typename } }`, {}, { as: "viewer" });
      expect(misspelt.body.errors?.[0]?.message).toMatch(
        /Cannot query field "cyclez" on type "Query"\. Did you mean .*"cycles"/,
      );
    });

    it("turns off introspection, suggestions, GraphiQL and limit details in production; rate-limits clients", async () => {
      const prod = await startTestServer({
        backend,
        seed: false,
        env: { NODE_ENV: "production", PINGYI_RATE_LIMIT: "5" },
      });
      try {
        const intro = await prod.gql(`{ __schema { types { name } } }`, {}, { as: "viewer" });
        expect(intro.body.errors?.[0]?.message).toMatch(/introspection/i);
        // A suggestion would name the schema's fields, which introspection no longer does.
        const misspelt = await prod.gql(`{ cyclez { __typename } }`, {}, { as: "viewer" });
        expect(misspelt.body.errors?.[0]?.message).toMatch(/Cannot query field "cyclez"/);
        expect(misspelt.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
        const page = await fetch(`${prod.url}/graphql`, { headers: { accept: "text/html" } });
        expect(page.headers.get("content-type") ?? "").not.toMatch(/html/);
        const limited = [];
        for (let i = 0; i < 6; i++) {
          const res = await fetch(`${prod.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: `{ __typename }` }),
          });
          if (res.status === 429)
            limited.push({ retry: res.headers.get("retry-after"), body: await res.json() });
        }
        expect(limited.length).toBeGreaterThan(0);
        for (const { retry, body } of limited) {
          expect(Number(retry)).toBeGreaterThan(0);
          expect(codeOf(body)).toBe("RATE_LIMITED");
        }
        // The same client, limited for the API, still gets the probes and the console's files.
        for (const path of ["/health", "/ready", "/health"])
          expect((await fetch(`${prod.url}${path}`)).status, path).not.toBe(429);
        if (consoleDir())
          for (const path of ["/", "/index.html", "/", "/"])
            expect((await fetch(`${prod.url}${path}`)).status, path).not.toBe(429);
        // Whatever reaches GraphQL counts, however its path is written (sent as is: fetch would
        // tidy the dot segments away before they left).
        for (const path of ["/graphql", "/./graphql", "/x/../graphql", "/%2e/graphql"])
          expect(await rawStatus(prod.url, `${path}?query=%7B__typename%7D`), path).toBe(429);
      } finally {
        await prod.close();
      }
    });
  });
});

/** The status of a GET of `path` exactly as written, without a client's URL normalisation. */
function rawStatus(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: "GET" }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

/** A request sent exactly as written (no URL normalisation): its status and body. */
function rawRequest(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  const body = options.body ?? "";
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path,
        method,
        headers: { "content-length": String(Buffer.byteLength(body)), ...options.headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * A multipart POST that announces `length` bytes and sends only its first part: the answer
 * (status and body) if the gateway gives one within 10 s without the rest, else status 0.
 */
function partialUpload(
  base: string,
  headers: Record<string, string>,
  length: number,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
      // The JSON object, whatever framing (chunked or not) carries it.
      const body = /\{[\s\S]*\}/.exec(rest.join("\r\n\r\n"))?.[0] ?? "";
      resolve({ status, body });
    };
    const timer = setTimeout(done, 10_000);
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => {
      text += c;
      // The refusal is one JSON object: complete once it closes.
      if (/\r\n\r\n[\s\S]*\}\s*$/.test(text)) done();
    });
    socket.on("end", done);
    socket.on("error", done);
    const lines = [
      `POST /graphql HTTP/1.1`,
      `host: ${hostname}:${port}`,
      "content-type: multipart/form-data; boundary=x",
      `content-length: ${length}`,
      "x-pingyi-client: test",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(
      `${lines.join("\r\n")}\r\n\r\n--x\r\ncontent-disposition: form-data; name="operations"\r\n\r\n`,
    );
  });
}

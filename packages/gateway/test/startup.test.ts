import { describe, expect, it } from "vitest";
import { startServer } from "../src/index.js";
import { openPostgres, Store } from "../src/store/index.js";
import { openTestDatabase } from "../src/store/test-backends.js";
import { backends, testConfig } from "./helpers.js";

describe.each(backends)("%s", (backend) => {
  it("two gateways starting together on one empty database seed it once, and both serve", async () => {
    const t = await openTestDatabase(backend);
    // On a server each process has its own pool; PGlite admits one process, so share its handle.
    const second = t.url ? new Store(await openPostgres(t.url)) : t.store;
    const config = testConfig();
    const started = await Promise.allSettled(
      [t.store, second].map((store) => startServer({ config, store, seed: true })),
    );
    try {
      expect(started.map((s) => (s.status === "rejected" ? String(s.reason) : s.status))).toEqual([
        "fulfilled",
        "fulfilled",
      ]);
      expect((await t.store.schemes.versions("city-review")).map((v) => v.version)).toEqual([1, 2]);
      for (const s of started) {
        if (s.status !== "fulfilled") continue;
        const token = await s.value.gateway.services.tokens.sign!({ role: "viewer", subject: "v" });
        const res = await fetch(`${s.value.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: "{ cycles { edges { node { id } } } }" }),
        });
        expect((await res.json()).data.cycles.edges).toEqual([
          { node: { id: "2019" } },
          { node: { id: "2018" } },
        ]);
      }
    } finally {
      for (const s of started) if (s.status === "fulfilled") await s.value.close(2000);
      if (second !== t.store) await second.close();
      await t.close();
    }
  });
});

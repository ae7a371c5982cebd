import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configDocs } from "../src/config.js";
import { printedReference, printedSchema } from "../src/schema/index.js";

const file = (p: string) => readFileSync(new URL(p, import.meta.url), "utf8");

describe("committed artefacts match the code", () => {
  it("schema.graphql — regenerate: node packages/gateway/bin/pingyi.mjs schema > packages/gateway/schema.graphql", () => {
    expect(printedSchema()).toBe(file("../schema.graphql"));
  });

  it("docs/graphql-reference.md — regenerate: node packages/gateway/bin/pingyi.mjs reference > docs/graphql-reference.md", () => {
    expect(printedReference()).toBe(file("../../../docs/graphql-reference.md"));
  });

  it("docs/configuration.md — regenerate: node packages/gateway/bin/pingyi.mjs config --markdown > docs/configuration.md", () => {
    expect(configDocs()).toBe(file("../../../docs/configuration.md"));
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
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

/** Every ```graphql block of the docs (indented ones in lists too), with where it is. */
function docQueries(): { where: string; query: string }[] {
  const docs = new URL("../../../docs/", import.meta.url);
  const files = [
    ...readdirSync(docs)
      .filter((f) => f.endsWith(".md"))
      .map((f) => ({ name: `docs/${f}`, text: readFileSync(new URL(f, docs), "utf8") })),
    { name: "README.md", text: file("../../../README.md") },
  ];
  const out: { where: string; query: string }[] = [];
  for (const { name, text } of files) {
    const re = /^( *)```graphql[^\n]*\n([\s\S]*?)^\1```/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const indent = m[1]!.length;
      const query = m[2]!
        .split("\n")
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join("\n");
      out.push({ where: `${name}:${text.slice(0, m.index).split("\n").length}`, query });
    }
  }
  return out;
}

describe("the docs' GraphQL", () => {
  const queries = docQueries();
  // From its printed form: the server's schema object is of the graphql module the server loads.
  const schema = buildSchema(printedSchema());
  it("has blocks to check", () => {
    expect(queries.length).toBeGreaterThan(5);
  });
  it.each(queries)("$where is valid against the schema", ({ query }) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });
});

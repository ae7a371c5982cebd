import {
  astFromValue,
  type GraphQLField,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  lexicographicSortSchema,
  print,
} from "../graphql.js";

/**
 * docs/graphql-reference.md, printed from the schema itself so the reference cannot drift:
 * the root operations first (what a client calls), then every type alphabetically.
 */
export function graphqlReference(source: GraphQLSchema): string {
  const schema = lexicographicSortSchema(source);
  const out: string[] = [
    "# GraphQL reference",
    "",
    "Generated from the gateway's schema by `node packages/gateway/bin/pingyi.mjs reference`; a test fails",
    "when it differs from the code. The guide is [graphql.md](graphql.md); the SDL is",
    "[`packages/gateway/schema.graphql`](../packages/gateway/schema.graphql).",
    "",
  ];
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  for (const root of roots) {
    if (!root) continue;
    out.push(`## ${root.name}`, "");
    for (const field of Object.values(root.getFields())) out.push(...fieldEntry(field, "###"));
  }
  out.push("## Types", "");
  const rootNames = new Set(roots.map((r) => r?.name));
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || rootNames.has(type.name)) continue;
    if (isScalarType(type) && ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
    const kind = isObjectType(type)
      ? "object"
      : isInterfaceType(type)
        ? "interface"
        : isUnionType(type)
          ? "union"
          : isEnumType(type)
            ? "enum"
            : isInputObjectType(type)
              ? "input"
              : "scalar";
    out.push(`### ${type.name} (${kind})`, "");
    if (type.description) out.push(oneParagraph(type.description), "");
    if (isObjectType(type) || isInterfaceType(type)) {
      const interfaces = type.getInterfaces().map((i) => i.name);
      if (interfaces.length) out.push(`Implements ${interfaces.map((i) => `\`${i}\``).join(", ")}.`, "");
      out.push("| field | type | description |", "| --- | --- | --- |");
      for (const f of Object.values(type.getFields())) {
        const args = f.args.length ? `(${f.args.map((a) => `${a.name}: ${a.type}`).join(", ")})` : "";
        out.push(`| \`${f.name}${args}\` | \`${f.type}\` | ${cell(f.description, f.deprecationReason)} |`);
      }
      out.push("");
    } else if (isInputObjectType(type)) {
      out.push("| field | type | description |", "| --- | --- | --- |");
      for (const f of Object.values(type.getFields()))
        out.push(`| \`${f.name}\` | \`${f.type}\` | ${cell(f.description)} |`);
      out.push("");
    } else if (isUnionType(type)) {
      out.push(
        `One of ${type
          .getTypes()
          .map((t) => `\`${t.name}\``)
          .join(", ")}.`,
        "",
      );
    } else if (isEnumType(type)) {
      out.push("| value | description |", "| --- | --- |");
      for (const v of type.getValues())
        out.push(`| \`${v.name}\` | ${cell(v.description, v.deprecationReason)} |`);
      out.push("");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function fieldEntry(field: GraphQLField<unknown, unknown>, heading: string): string[] {
  const lines = [`${heading} \`${field.name}\` → \`${field.type}\``, ""];
  if (field.description) lines.push(oneParagraph(field.description), "");
  if (field.args.length) {
    lines.push("| argument | type | description |", "| --- | --- | --- |");
    for (const a of field.args) {
      // As a query writes it (`SAME`), not as the resolver receives it ("same").
      const literal = a.defaultValue === undefined ? null : astFromValue(a.defaultValue, a.type);
      const dflt = literal ? ` (default \`${print(literal)}\`)` : "";
      lines.push(`| \`${a.name}\` | \`${a.type}\` | ${cell(a.description)}${dflt} |`);
    }
    lines.push("");
  }
  return lines;
}

function oneParagraph(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function cell(description?: string | null, deprecated?: string | null): string {
  const text = oneParagraph(description ?? "").replace(/\|/g, "\\|");
  return deprecated ? `${text} **Deprecated:** ${oneParagraph(deprecated)}` : text;
}

/**
 * The analyst queries of this folder: one `<name>.graphql` per question, its variables in
 * `<name>.variables.json`. Shared by the runner (run.ts) and the test.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const QUERY_DIR = import.meta.dirname;

export interface AnalystQuery {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Every query's name (the file name without `.graphql`), sorted. */
export function queryNames(dir = QUERY_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".graphql"))
    .map((f) => f.slice(0, -".graphql".length))
    .sort();
}

/** Reads a query and its variables (none when the variables file is absent). */
export function loadQuery(name: string, dir = QUERY_DIR): AnalystQuery {
  const base = name.replace(/\.graphql$/, "");
  const query = readFileSync(join(dir, `${base}.graphql`), "utf8");
  const variablesFile = join(dir, `${base}.variables.json`);
  const variables = existsSync(variablesFile) ? JSON.parse(readFileSync(variablesFile, "utf8")) : {};
  return { name: base, query, variables };
}

/** `http://host:4000` or `http://host:4000/graphql` → the GraphQL endpoint. */
export function endpoint(url: string): string {
  const u = new URL(url);
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/graphql";
  return u.toString();
}

/** POSTs one query with its variables; the body as the gateway answered it. */
export async function runQuery(url: string, token: string, q: AnalystQuery): Promise<GraphQLResponse> {
  const res = await fetch(endpoint(url), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: q.query, variables: q.variables }),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLResponse;
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 200)}` }] };
  }
}

/**
 * The `__typename`s of the top-level fields that are typed errors (`…Error`): a query can
 * succeed at the GraphQL level and still answer NotFoundError or ValidationError.
 */
export function errorTypenames(data: GraphQLResponse["data"]): string[] {
  return Object.values(data ?? {})
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .map((v) => (v && typeof v === "object" ? (v as { __typename?: unknown }).__typename : undefined))
    .filter((t): t is string => typeof t === "string" && t.endsWith("Error"));
}

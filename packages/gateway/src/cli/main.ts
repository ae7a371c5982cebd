import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { isRole, ROLES } from "../auth/roles.js";
import { createTokenVerifier } from "../auth/tokens.js";
import { configDocs, isProduction, loadConfig } from "../config.js";
import { EvaluationCache } from "../evaluations.js";
import { importFile } from "../import/index.js";
import { startServer } from "../index.js";
import { printedReference, printedSchema } from "../schema/index.js";
import { isEmpty, seedExample } from "../seed.js";
import type { ImportFormat, ImportKind } from "../store/index.js";
import { Store } from "../store/index.js";

const HELP = `pingyi — the Pingyi (评议) gateway

  pingyi serve                              start the GraphQL gateway (config: environment, see docs/configuration.md)
  pingyi import <cycle> <kind> <file> [--id <importId>] [--format csv|xlsx|json]
                                            kind: survey-forms | ballots | findings | scores
  pingyi score <cycle> [--group <id>]       print a cycle's ranking table
  pingyi token <role> <subject> [--expires 12h]   mint a bearer token (role: ${ROLES.join(" | ")})
  pingyi schema                             print the GraphQL schema (SDL)
  pingyi reference                          print the GraphQL reference (Markdown, docs/graphql-reference.md)
  pingyi config --markdown                  print the configuration reference
`;

async function openStore() {
  const config = loadConfig();
  const store = await Store.open({ databaseUrl: config.DATABASE_URL, dataDir: config.PINGYI_DATA_DIR });
  if (config.PINGYI_SEED && (await isEmpty(store))) await seedExample(store);
  return { config, store };
}

async function serve() {
  const running = await startServer();
  const { config, tokens } = running.gateway.services;
  console.log(`Pingyi gateway listening on ${running.url}/graphql`);
  if (!isProduction(config)) {
    console.log(`GraphiQL: ${running.url}/graphql`);
    if (tokens.sign) {
      const token = await tokens.sign({ subject: "dev-admin", role: "admin" }, "12h");
      console.log(`Development admin token (12 h): ${token}`);
      console.log(`GraphiQL headers: {"Authorization": "Bearer ${token}", "x-pingyi-client": "graphiql"}`);
    }
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.gateway.services.logger.info("shutting down", { signal });
    await running.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

async function score(cycleId: string, group: string | undefined) {
  const { store } = await openStore();
  try {
    const { evaluation } = await new EvaluationCache(store, 1).get(cycleId);
    const rows = evaluation.units.filter((u) => !group || u.group === group);
    const cats = evaluation.units[0]?.categories.map((c) => c.category) ?? [];
    console.log(["group", "rank", "unit", "name", ...cats, "total", "grade", "flags"].join("\t"));
    for (const u of rows) {
      const flags = u.eligibility.reasons.map((r) => r.kind).join(",");
      const points = u.categories.map((c) => c.points ?? "—");
      console.log(
        [u.group, u.rank ?? "—", u.unit, u.name, ...points, u.total ?? "—", u.grade?.name ?? "", flags].join(
          "\t",
        ),
      );
    }
  } finally {
    await store.close();
  }
}

async function runImport(
  cycleId: string,
  kind: string,
  file: string,
  id: string | undefined,
  format: string | undefined,
) {
  const { store } = await openStore();
  try {
    const fmt = (format ?? extname(file).slice(1).toLowerCase().replace("ndjson", "json")) as ImportFormat;
    const result = await importFile(store, {
      cycleId,
      kind: kind as ImportKind,
      format: fmt,
      importId: id ?? `${file}:${(await readFile(file)).length}`,
      stream: createReadStream(file),
      actor: process.env.USER ? `cli:${process.env.USER}` : "cli",
    });
    console.log(result.message);
  } finally {
    await store.close();
  }
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      group: { type: "string" },
      id: { type: "string" },
      format: { type: "string" },
      expires: { type: "string" },
      markdown: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  switch (command) {
    case "serve":
      return serve();
    case "score":
      if (!rest[0]) break;
      return score(rest[0], values.group);
    case "import":
      if (rest.length < 3) break;
      return runImport(rest[0]!, rest[1]!, rest[2]!, values.id, values.format);
    case "token": {
      const [role, subject] = rest;
      if (!isRole(role) || !subject) break;
      const tokens = await createTokenVerifier(loadConfig());
      if (!tokens.sign)
        throw new Error("tokens can only be minted with PINGYI_JWT_SECRET (or the development secret)");
      console.log(await tokens.sign({ role, subject }, values.expires ?? "12h"));
      return;
    }
    case "schema":
      process.stdout.write(printedSchema());
      return;
    case "reference":
      process.stdout.write(printedReference());
      return;
    case "config":
      process.stdout.write(configDocs());
      return;
  }
  console.log(HELP);
  process.exitCode = command && !values.help ? 2 : 0;
}

// `pingyi score 2019 | head` closes the pipe early; that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});

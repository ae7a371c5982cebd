import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { parseArgs } from "node:util";
import { isRole, ROLES } from "../auth/roles.js";
import type { Config } from "../config.js";
import type { TextEncodingName } from "../import/encoding.js";
import { ImportIdTakenError } from "../import/import-id-taken.js";
import { placeText } from "../import/record-place.js";
import { SameFormsError } from "../import/same-forms.js";
import { createLogger } from "../logger.js";
import { rowsText } from "../rows-text.js";
import { ImportError, importRejectedHeadline, ValidationError } from "../store/errors.js";
import type { ImportFormat, ImportKind } from "../store/index.js";
import { IMPORT_FORMATS, IMPORT_KINDS } from "../store/types.js";
import { blankProblem } from "./blank-value.js";
import { cliActor } from "./cli-actor.js";
import { HELP, usagePointer } from "./help.js";
import { openStore, shownDataDir, USE_THE_GATEWAYS_DATA_DIR } from "./open-store.js";
import type { TokenRequest } from "./token-request.js";
import { UsageError } from "./usage-error.js";

// Each command loads what it needs when it runs (`await import`): the engine, the store and the
// GraphQL schema take seconds to load, which `--help`, `token` and a refused argument should
// not wait for.

/**
 * Without PINGYI_JWT_SECRET, tokens are signed with the development secret the gateway made
 * beside its data directory on its first start. Minting with a new one (a mistyped or relative
 * PINGYI_DATA_DIR) would print a token that gateway refuses, and leave a stray secret file.
 */
function refuseNoDevelopmentSecret(config: Config, secretFile: (dataDir: string) => string | null): void {
  const dir = config.PINGYI_DATA_DIR;
  const file = secretFile(dir);
  if (file === null)
    throw new Error(
      `PINGYI_DATA_DIR=${dir}: a gateway on a database in memory signs with a secret of its own process, so no token made here would be accepted. ` +
        "Use the development admin token it printed on start, or give it PINGYI_JWT_SECRET and mint with the same",
    );
  if (existsSync(file)) return;
  throw new Error(
    `no development secret beside ${shownDataDir(dir)}: the gateway makes ${file} on its first start (pingyi serve) and refuses tokens signed with any other. ${USE_THE_GATEWAYS_DATA_DIR}, or PINGYI_JWT_SECRET to the gateway's secret`,
  );
}

/** How long `serve` waits for its shutdown (requests get 10 s of it) before it exits anyway. */
const SHUTDOWN_DEADLINE_MS = 30_000;

/**
 * Set by `serve` with LOG_FORMAT=json, read from the environment as it is: the configuration
 * that failed to load may be what the error is about.
 */
let jsonErrors = false;

async function serve() {
  jsonErrors = process.env.LOG_FORMAT === "json";
  const [{ loadConfig, isProduction, unknownSettings }, { startServer }, { databaseInUse }, { consoleDir }] =
    await Promise.all([
      import("../config.js"),
      import("../index.js"),
      import("../startup.js"),
      import("@pingyi/console/serve"),
    ]);
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  // Before the database is opened: a DATABASE_URL misspelt leaves the gateway making (and, on a
  // first start, seeding) an embedded database, seconds of work the operator should see coming,
  // and a start that then fails on it should still have said why.
  for (const warning of unknownSettings(process.env)) logger.warn(warning);
  // A failure to open names DATABASE_URL or PINGYI_DATA_DIR, and one to listen names PORT.
  const running = await startServer({ config, logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    // Requests get 10 s (running.close); a database call that still holds on (a lock another
    // session keeps, a server that stopped answering) must not keep the process from exiting.
    setTimeout(() => {
      logger.error("shutdown did not finish in 30 s: exiting with the database calls still open", {
        signal,
      });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    const started = performance.now();
    await running.close(); // and the store the gateway opened
    // The last line says the stop was clean: without it, a log that ends at "shutting down"
    // cannot tell a finished shutdown from a process killed halfway through one.
    logger.info("stopped", { signal, ms: Math.round(performance.now() - started) });
    process.exit(0);
  };
  // Before the address is printed: whoever reads it may stop the gateway at once, and the
  // default action of a signal would leave the data directory's lock behind. SIGHUP is a
  // terminal closing on a gateway started in it (bin/pingyi.mjs forwards it too): a request to
  // stop, as the others are.
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => void stop(signal));
  const { tokens } = running.gateway.services;
  // The address to open, whatever PORT is (README: "open what it prints").
  const started: Record<string, string> = {
    graphql: `${running.url}/graphql`,
    database: databaseInUse(config),
  };
  if (consoleDir()) started.console = `${running.url}/`;
  // Without it, / is a bare 404 and nothing said why.
  else
    logger.warn(
      "the web console is not built, so / answers 404: build it with `npx -y pnpm@10 --filter @pingyi/console build` (pnpm start builds it itself)",
    );
  if (!isProduction(config)) {
    started.graphiql = `${running.url}/graphql`;
    // Only under the generated development secret: with an operator's own secret this would be a
    // real admin credential in the logs of a gateway that merely forgot NODE_ENV=production.
    if (tokens.sign && !config.PINGYI_JWT_SECRET)
      started.developmentAdminToken = await tokens.sign({ subject: "dev-admin", role: "admin" }, "12h");
    if (
      config.PINGYI_JWT_SECRET ||
      config.PINGYI_JWT_PUBLIC_KEY ||
      config.PINGYI_JWT_JWKS ||
      config.DATABASE_URL
    )
      logger.warn(
        "NODE_ENV is not production, so GraphiQL and schema introspection are on and errors carry more detail; set NODE_ENV=production for a production gateway",
        { NODE_ENV: config.NODE_ENV },
      );
  }
  // A log shipper reads every line as JSON; a person at a terminal reads sentences.
  if (config.LOG_FORMAT === "json") {
    logger.info("listening", started);
    return;
  }
  console.log(`Pingyi gateway listening on ${started.graphql}`);
  console.log(`Database: ${started.database}`);
  if (started.console) console.log(`Console: ${started.console}`);
  if (started.graphiql) console.log(`GraphiQL: ${started.graphiql}`);
  const token = started.developmentAdminToken;
  if (token) {
    console.log(`Development admin token (12 h): ${token}`);
    console.log(`GraphiQL headers: {"Authorization": "Bearer ${token}", "x-pingyi-client": "graphiql"}`);
  }
}

async function score(cycleId: string, group: string | undefined) {
  // Loaded before the store is opened: from then on, only the try below closes it.
  const [{ EvaluationCache }, { unknownId }] = await Promise.all([
    import("../evaluations.js"),
    import("@pingyi/engine"),
  ]);
  const { store } = await openStore();
  try {
    const { evaluation } = await new EvaluationCache(store, 1).get(cycleId);
    // The same refusal as the API's ranking(group:), rather than an empty table.
    if (group && !evaluation.groups.some((g) => g.id === group)) {
      const known = new Set(evaluation.groups.map((g) => g.id));
      throw new ValidationError([{ path: "group", message: unknownId("group", group, known, true) }]);
    }
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

/**
 * The text encodings `--encoding` takes, by the names people know them by: GBK and GB2312 are
 * subsets of GB18030, which is what Excel in Chinese Windows writes.
 */
const ENCODINGS: Readonly<Record<string, TextEncodingName>> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  gb18030: "gb18030",
  gbk: "gb18030",
  gb2312: "gb18030",
};

/** `--encoding` as the import takes it, or a refusal naming the encodings it reads. */
function encodingOf(given: string, format: ImportFormat): TextEncodingName {
  const encoding = Object.hasOwn(ENCODINGS, given.toLowerCase()) ? ENCODINGS[given.toLowerCase()] : undefined;
  if (!encoding)
    throw new UsageError(
      `--encoding: '${given}' is not an encoding the import reads: use utf-8 or gb18030 (GBK and GB2312 files are read as GB18030)`,
    );
  if (format === "xlsx")
    throw new UsageError("--encoding is for CSV and JSON files: an XLSX workbook says its own encoding");
  return encoding;
}

/** `--format` as the import takes it, or a refusal naming the formats it reads. */
function formatGiven(given: string): ImportFormat {
  const format = IMPORT_FORMATS.find((f) => f === given.toLowerCase());
  if (!format)
    throw new UsageError(`--format: '${given}' is not a format the import reads: use csv, xlsx or json`);
  return format;
}

/** An import id checked as the API checks it, so an id the CLI stores the API can remove. */
async function checkedImportId(id: string, name: string): Promise<string> {
  const { check, importIdSchema } = await importIdCheck();
  try {
    return check(importIdSchema, id, name);
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(err.message);
    throw err;
  }
}

async function runImport(
  cycleId: string,
  kind: string,
  file: string,
  options: {
    id?: string | undefined;
    format?: string | undefined;
    encoding?: string | undefined;
    otherFormsThan?: readonly string[] | undefined;
  },
) {
  const { id, format } = options;
  // Before the database is opened, as the file is checked: a mistyped kind fails at once.
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
    // The engine is loaded for the suggestion only when a kind is refused: the API and the
    // imports suggest names the same way (`ballot` → `ballots`).
    const { closestField } = await import("@pingyi/engine");
    const meant = closestField(kind, IMPORT_KINDS);
    throw new UsageError(
      `unknown import kind '${kind}': ${meant ? `did you mean '${meant}'? The kinds are` : "use"} ${IMPORT_KINDS.join(", ")}`,
    );
  }
  const fmt = format === undefined ? formatOf(file) : formatGiven(format);
  // Given, the encoding is not detected (docs/administrators.md): a GB18030 file that detection
  // takes for UTF-8, or refuses for a line that reads as UTF-8, is read as what it is.
  const encoding = options.encoding === undefined ? undefined : encodingOf(options.encoding, fmt);
  // Before the file is looked at: a mistake on the command line is said before the file's.
  const given = id === undefined ? undefined : await checkedImportId(id, "--id");
  const otherFormsThan = await Promise.all(
    (options.otherFormsThan ?? []).map((other) => checkedImportId(other, "--other-forms-than")),
  );
  if (otherFormsThan.length > 0 && kind !== "survey-forms")
    throw new UsageError(
      `--other-forms-than is for survey forms, which have no key: ${kind} have one, and a record imported twice is refused by it`,
    );
  // Before the database is opened (seconds on PGlite): a mistyped path fails at once. stat, so
  // the file is read once, by the import.
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${file}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  });
  if (!info.isFile()) throw new Error(`${file}: not a file`);
  // The cycle, the file name and size (docs/administrators.md): the same file given by another
  // path is the same import, and last year's file of the same name and size is not.
  const importId =
    given ??
    (await checkedImportId(
      `${cycleId}:${basename(file)}:${info.size}`,
      "import id (the cycle, the file's name and size; give one with --id)",
    ));
  const [{ importEngineCheck }, { importDeclaredValues }, { EvaluationCache }, { importFile }] =
    await Promise.all([
      import("../schema/engine-check.js"),
      import("../schema/declared-values.js"),
      import("../evaluations.js"),
      import("../import/index.js"),
    ]);
  const { store, database } = await openStore();
  try {
    // The same engine check as the API's importFile: rows the scheme rejects are not committed.
    const checks = await importEngineCheck({ store, evaluations: new EvaluationCache(store, 1) }, cycleId);
    const result = await importFile(store, {
      cycleId,
      kind: kind as ImportKind,
      format: fmt,
      importId,
      stream: createReadStream(file),
      ...(encoding ? { encoding } : {}),
      ...(otherFormsThan.length ? { otherFormsThan } : {}),
      actor: cliActor(),
      ...checks,
      declaredValues: importDeclaredValues(cycleId),
    }).catch((err: unknown) => {
      // Two different files may share a name and size (forms.csv of two batches): the default id
      // cannot tell them apart, but --id can, as the refusal says in the command line's words.
      if (err instanceof ImportIdTakenError || err instanceof SameFormsError) err.message = err.commandLine;
      throw err;
    });
    // The importer's own sentence: it also names the file's columns no column of the kind reads.
    if (result.status === "imported") console.log(result.message);
    else {
      const earlier = await store.imports.get(importId);
      console.log(
        `already imported (${rowsText(earlier.rowCount)} on ${earlier.createdAt.toISOString()}); nothing added`,
      );
    }
    // On stderr, after the result: the database the rows went to (or were found in).
    console.error(`database: ${database}`);
    // Gateways on the same server tell their live-ranking subscribers, as for an upload. On
    // PGlite no gateway can be running: it would hold the data directory this command opened.
    if (result.status === "imported" && store.backend === "postgres") {
      // The import has committed whatever happens here: a failed announcement is not a failed import.
      await announced(store.db, { cycleId, reason: "import", records: kind }).catch((err: Error) =>
        console.error(`warning: live-ranking subscribers were not told of the import: ${err.message}`),
      );
    }
  } finally {
    await store.close();
  }
}

async function listImports(cycleId: string) {
  const { store } = await openStore();
  try {
    // An unknown cycle is said, not printed as an empty list.
    await store.cycles.get(cycleId);
    const imports = await store.imports.list(cycleId);
    console.log(["id", "kind", "format", "rows", "actor", "created"].join("\t"));
    for (const i of imports)
      console.log([i.id, i.kind, i.format, i.rowCount, i.actor, i.createdAt.toISOString()].join("\t"));
  } finally {
    await store.close();
  }
}

async function removeImport(id: string) {
  const importId = await checkedImportId(id, "<importId>");
  const { store, database } = await openStore();
  try {
    const { cycleId, kind } = await store.imports.get(importId);
    const removed = await store.imports.remove(cliActor(), importId);
    console.log(`removed import '${importId}' from cycle '${cycleId}': ${rowsText(removed)}`);
    console.error(`database: ${database}`);
    // As after an import: gateways on the same server tell their live-ranking subscribers.
    if (store.backend === "postgres") {
      await announced(store.db, { cycleId, reason: "import", records: kind }).catch((err: Error) =>
        console.error(`warning: live-ranking subscribers were not told of the removal: ${err.message}`),
      );
    }
  } finally {
    await store.close();
  }
}

/**
 * Tells the gateways on the same PostgreSQL server of a change, as `announce` does. Loaded only
 * then: it brings graphql-yoga (~0.5 s of CPU a command), which the embedded database, where no
 * gateway can be running beside the command, never needs. A failure to load is a failed
 * announcement too, not a failed command.
 */
async function announced(...args: Parameters<typeof import("../pubsub.js").announce>): Promise<void> {
  const { announce } = await import("../pubsub.js");
  await announce(...args);
}

/** The import id's rules, as the API applies them. */
async function importIdCheck() {
  const [{ check }, { importId }] = await Promise.all([
    import("../schema/validate.js"),
    import("../import/import-id.js"),
  ]);
  return { check, importIdSchema: importId };
}

/** The format a file's extension names, or a refusal that says what to do instead. */
function formatOf(file: string): ImportFormat {
  const ext = extname(file).slice(1).toLowerCase();
  if (ext === "ndjson" || ext === "jsonl") return "json";
  if (ext === "csv" || ext === "xlsx" || ext === "json") return ext;
  if (ext === "xls" || ext === "et")
    throw new UsageError(
      `${file}: .${ext} workbooks (Excel 97-2003, WPS) cannot be read; save it as .xlsx or .csv`,
    );
  throw new UsageError(
    `${file}: the format cannot be told from the file name${ext ? ` (.${ext})` : ""}; add --format csv, xlsx or json`,
  );
}

const CLI_OPTIONS = {
  group: { type: "string" },
  id: { type: "string" },
  format: { type: "string" },
  encoding: { type: "string" },
  "other-forms-than": { type: "string", multiple: true },
  expires: { type: "string" },
  to: { type: "string" },
  "dry-run": { type: "boolean" },
  markdown: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Node's words for a mistyped option ("Unknown option '--dryrun'. To specify a positional
 * argument starting with a '-', place it at the end of the command after '--' …") send a
 * person looking for positional arguments; the command's own words, with the option meant.
 */
async function optionProblem(
  err: unknown,
  command: string | undefined,
  argv: readonly string[],
): Promise<string | undefined> {
  const code = (err as { code?: string }).code;
  const who = command ? `pingyi ${command}` : "pingyi";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const given = /'(-[^']*)'/.exec((err as Error).message)?.[1] ?? "";
    const takes =
      command !== undefined && Object.hasOwn(TAKES, command) ? TAKES[command]! : Object.keys(CLI_OPTIONS);
    if (command === "serve") return `${who}: unknown option ${given}: ${await serveSettings(given, argv)}`;
    const { closestField } = await import("@pingyi/engine");
    const meant = closestField(given.replace(/^-+/, ""), takes);
    return `${who}: unknown option ${given}${meant ? `; did you mean --${meant}?` : ""}${takes.length > 0 ? ` (${command ? "it takes" : "the options are"} ${optionNames(takes)})` : ""}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    // Node names "-h, --help" by both: the long name is the one the help shows.
    const message = (err as Error).message;
    const option = /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1];
    if (!option) return `${who}: ${message}`;
    return /does not take an argument/.test(message)
      ? `${who}: ${option} takes no value (give it alone, as ${option})`
      : `${who}: ${option} needs a value after it`;
  }
  return undefined;
}

/**
 * What `serve` takes instead of options and arguments: its settings are environment variables
 * (`PORT=4001 pingyi serve`, as the README starts it). `--port 4001` and `--data-dir=x` are
 * answered with the variable they meant and their value.
 */
async function serveSettings(option?: string, argv: readonly string[] = []): Promise<string> {
  const { configSchema } = await import("../config.js");
  const name = option?.replace(/^-+/, "").toUpperCase().replace(/-/g, "_");
  const setting = name && [name, `PINGYI_${name}`].find((k) => Object.hasOwn(configSchema.shape, k));
  const at = option === undefined ? -1 : argv.findIndex((a) => a === option || a.startsWith(`${option}=`));
  const given = argv[at]?.includes("=")
    ? argv[at]!.slice(argv[at]!.indexOf("=") + 1)
    : argv[at + 1] !== undefined && !argv[at + 1]!.startsWith("-") && at >= 0
      ? argv[at + 1]
      : undefined;
  const example = setting ? `${setting}=${given ?? "…"}` : "PORT=4001";
  return `the gateway's settings are environment variables, as ${example} pingyi serve; docs/configuration.md lists them`;
}

/**
 * The command of a line parseArgs refused: the first word that is no option nor an option's
 * value (`--group g1 score` scores).
 */
function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("-")) return a;
    if (!a.includes("=") && CLI_OPTIONS[a.replace(/^-+/, "") as keyof typeof CLI_OPTIONS]?.type === "string")
      i++;
  }
  return undefined;
}

/**
 * A usage mistake: said on stderr with the command's usage, exit code 2; nothing was run. Nothing
 * on stdout, which a script may be keeping (`pingyi token … > ci.token`, `TOKEN=$(pingyi token …)`).
 */
function refuseUsage(message: string, command: string | undefined): void {
  console.error(message);
  console.error(usagePointer(command));
  process.exitCode = 2;
}

async function main(argv: string[]) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof CLI_OPTIONS }>
  >;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: CLI_OPTIONS });
  } catch (err) {
    const command = commandOf(argv);
    const problem = await optionProblem(err, command, argv);
    if (!problem) throw err;
    return refuseUsage(problem, command);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  commandRun = command ?? "";
  // Before any command runs: `pingyi serve --help` must not start a gateway.
  if (values.help || command === "help") {
    console.log(HELP);
    return;
  }
  // An option another command takes is refused, not ignored: `import … --dry-run` imported.
  const takes = command !== undefined && Object.hasOwn(TAKES, command) ? TAKES[command]! : undefined;
  const foreign = takes && Object.keys(values).find((o) => o !== "help" && !takes.includes(o));
  if (takes && foreign)
    return refuseUsage(
      `pingyi ${command}: --${foreign} is not an option of this command (${takes.length > 0 ? `it takes ${optionNames(takes)}` : "it takes none"}); nothing was done`,
      command,
    );
  // An argument too many is refused, not ignored: `import 2019 findings f1.csv f2.csv` imported
  // f1.csv alone and said nothing of f2.csv. The usage that follows says what the command takes.
  const most = takes && (Object.hasOwn(ARGUMENTS, command!) ? ARGUMENTS[command!]! : []);
  if (most && rest.length > most.length) {
    const extra = rest.slice(most.length);
    const advice =
      command === "serve"
        ? `it takes none: ${await serveSettings()}`
        : most.length === 0
          ? "it takes none"
          : EXTRA_ADVICE[command!];
    return refuseUsage(
      `pingyi ${command}: ${extra.map((a) => `'${a}'`).join(" ")} ${extra.length === 1 ? "is an argument" : `are ${extra.length} arguments`} too many${advice ? ` (${advice})` : ""}; nothing was done`,
      command,
    );
  }
  // Refused rather than run with an empty or blank value (`score --group=` scored every group) or
  // said to be missing without naming it, as `pingyi score "$CYCLE"` was.
  const blank = most
    ?.map((name, i) => blankProblem(`<${name}>`, rest[i]))
    .find((problem) => problem !== undefined);
  if (blank) return refuseUsage(`pingyi ${command}: ${blank}`, command);
  const blankOption = takes
    ?.map((o) => {
      const given = (values as Record<string, unknown>)[o];
      // An option given more than once (--other-forms-than) is checked each time.
      const value = Array.isArray(given) ? given.find((v) => blankProblem(`--${o}`, v, "")) : given;
      if (typeof value !== "string") return undefined;
      const required = Object.hasOwn(OPTIONS, command!) && OPTIONS[command!]!.startsWith(`--${o} `);
      return blankProblem(`--${o}`, value, `: give it a value${required ? "" : ", or leave it out"}`);
    })
    .find((problem) => problem !== undefined);
  if (blankOption) return refuseUsage(`pingyi ${command}: ${blankOption}`, command);
  switch (command) {
    case "serve":
      return serve();
    case "score":
      if (!rest[0]) break;
      return score(rest[0], values.group);
    case "import":
      if (rest.length < 3) break;
      return runImport(rest[0]!, rest[1]!, rest[2]!, {
        id: values.id,
        format: values.format,
        encoding: values.encoding,
        otherFormsThan: values["other-forms-than"],
      });
    case "imports":
      if (!rest[0]) break;
      return listImports(rest[0]);
    case "remove-import":
      if (!rest[0]) break;
      return removeImport(rest[0]);
    case "move-database":
      if (!values.to) break;
      return (await import("./move-database.js")).moveDatabase(values.to, { dryRun: values["dry-run"] });
    case "token": {
      const [role, subject] = rest;
      // Usage mistakes, as a missing argument is: said, with the usage, exit code 2.
      const refuse = (problem: string) => refuseUsage(`pingyi token: ${problem}; nothing was done`, command);
      if (role && !isRole(role)) return refuse(`unknown role '${role}': use ${ROLES.join(", ")}`);
      if (!isRole(role) || !subject) break;
      // Every argument before the configuration and the key: a person who has not set the
      // secret yet hears of a mistyped --expires now, not after setting it.
      const { tokenRequest } = await import("./token-request.js");
      let request: TokenRequest;
      try {
        request = tokenRequest(role, subject, values.expires);
      } catch (err) {
        if (err instanceof UsageError) return refuse(err.message);
        throw err;
      }
      const { expires, seconds } = request;
      const [
        { MAX_TOKEN_SECONDS },
        { commandConfig },
        { checkDataDir },
        { createTokenVerifier, developmentSecretFile, signsWithDevelopmentSecret },
      ] = await Promise.all([
        import("../config.js"),
        import("./command-config.js"),
        import("../startup.js"),
        import("../auth/tokens.js"),
      ]);
      // A misspelt PINGYI_DATA_DIR signs with another directory's secret, or none.
      const config = await commandConfig();
      // The gateway refuses a token good for longer than PINGYI_JWT_MAX_AGE_SECONDS (a year by
      // default): minting one would hand out a token that never works. Still before the key.
      const longest = config.PINGYI_JWT_MAX_AGE_SECONDS;
      const accepted = `PINGYI_JWT_MAX_AGE_SECONDS=${longest} (${formatSeconds(longest)}), the longest a token the gateway accepts may last`;
      if (seconds > longest)
        return refuse(
          // Quoting '12h' back would name a value the person never gave: say it is the default.
          values.expires === undefined
            ? `without --expires a token lasts 12 hours, longer than ${accepted}: give a shorter --expires`
            : longest === MAX_TOKEN_SECONDS
              ? `--expires: '${expires}' is longer than a year: a token cannot be revoked on its own (only by changing PINGYI_JWT_SECRET, which revokes every token), so mint tokens of a year at most and renew them`
              : `--expires: '${expires}' is longer than ${accepted}`,
        );
      // The development secret is kept beside the data directory: a refused one gets no file. A
      // moved directory's note is about its database, not the secret a gateway still signs with.
      checkDataDir(config, { moved: true });
      // With a public key or a JWKS the gateway signs nothing, which createTokenVerifier says.
      if (signsWithDevelopmentSecret(config)) refuseNoDevelopmentSecret(config, developmentSecretFile);
      const tokens = await createTokenVerifier(config);
      if (!tokens.sign)
        throw new Error("tokens can only be minted with PINGYI_JWT_SECRET (or the development secret)");
      // Signing reads the duration as tokenRequest did: the token lasts `seconds` exactly.
      console.log(await tokens.sign({ role, subject }, expires));
      return;
    }
    case "schema":
      process.stdout.write((await import("../schema/index.js")).printedSchema());
      return;
    case "reference":
      process.stdout.write((await import("../schema/index.js")).printedReference());
      return;
    case "scheme-schema":
      // What an editor checks a scheme file against ("$schema"), without a script of one's own.
      process.stdout.write(
        `${JSON.stringify((await import("@pingyi/engine")).schemeJsonSchema(), null, 2)}\n`,
      );
      return;
    case "config":
      process.stdout.write((await import("../config.js")).configDocs());
      return;
  }
  // `pingyi` alone asks what it can do.
  if (!command) {
    console.log(HELP);
    return;
  }
  const needed = Object.hasOwn(ARGUMENTS, command) ? ARGUMENTS[command]! : undefined;
  const option = Object.hasOwn(OPTIONS, command) ? OPTIONS[command]! : undefined;
  refuseUsage(
    needed
      ? `pingyi ${command}: ${needed
          .slice(rest.length)
          .map((a) => `<${a}>`)
          .join(" ")} missing`
      : option
        ? `pingyi ${command}: ${option} missing`
        : `unknown command '${command}'`,
    command,
  );
}

/** The arguments each command needs, as the help names them. */
const ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  score: ["cycle"],
  import: ["cycle", "kind", "file"],
  imports: ["cycle"],
  "remove-import": ["importId"],
  token: ["role", "subject"],
};

/** What a person who gave one argument too many most likely meant to do instead. */
const EXTRA_ADVICE: Readonly<Record<string, string>> = {
  import: "one file per import: run it again for each other file",
};

/** Options as the help writes them: "--id, --format". */
const optionNames = (options: readonly string[]): string => options.map((o) => `--${o}`).join(", ");

/** The options each command takes. */
const TAKES: Readonly<Record<string, readonly string[]>> = {
  serve: [],
  score: ["group"],
  import: ["id", "format", "encoding", "other-forms-than"],
  imports: [],
  "remove-import": [],
  "move-database": ["to", "dry-run"],
  token: ["expires"],
  schema: [],
  reference: [],
  "scheme-schema": [],
  config: ["markdown"],
};

/** The option a command cannot do without, as the help names it. */
const OPTIONS: Readonly<Record<string, string>> = {
  "move-database": "--to <postgres url>",
};

/** Commands that only read: a refusal of theirs has nothing to take back. */
const READ_ONLY = new Set(["score", "imports"]);
/** The command of this run, for how its error is told. */
let commandRun = "";

// `pingyi score 2019 | head` closes the pipe early; that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

/** The error as the lines a person needs: every listed bad row or issue, and the total. */
export function describeError(err: unknown, writes = true): string[] {
  if (err instanceof ImportError) {
    // Line 0 is the file as a whole (a damaged workbook): no row of it, and no line to look at.
    const file = err.rows.filter((r) => r.line === 0);
    const rows = err.rows.filter((r) => r.line !== 0);
    const lines = [
      ...file.map((r) => `  ${r.message}`),
      ...rows.map((r) => `  ${placeText(r)}${r.column ? `, column ${r.column}` : ""}: ${r.message}`),
    ];
    const more = err.totalErrors - err.rows.length;
    const headline = importRejectedHeadline(err.rows, err.badRows, err.totalErrors);
    return [`${headline}; nothing was written`, ...lines, ...(more > 0 ? [`  … and ${more} more`] : [])];
  }
  // Every command writes in one transaction: a refusal wrote nothing, which is what a clerk
  // needs to know before fixing the file and running it again.
  if (err instanceof ValidationError) {
    if (err.issues.length <= 1) return [writes ? `${err.message}; nothing was written` : err.message];
    // The engine's objections to a cycle's records say why ("… would leave cycle 'p2020'
    // unscorable (2 problems): …") and name each record; their place in the dataset the gateway
    // assembled is no line of the clerk's file, so it is left out.
    const why = /^(.*?) \(\d+ problems[^)]*\):/.exec(err.message)?.[1] ?? "rejected";
    return [
      `${why}: ${err.issues.length} problems${writes ? "; nothing was written" : ""}`,
      ...err.issues.map(
        (i) => `  ${i.path && !i.path.startsWith("dataset.") ? `${i.path}: ` : ""}${i.message}`,
      ),
    ];
  }
  return [err instanceof Error ? err.message : String(err)];
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) return refuseUsage(`pingyi ${commandRun}: ${err.message}`, commandRun);
  const lines = describeError(err, !READ_ONLY.has(commandRun));
  if (jsonErrors)
    createLogger("error", (l) => process.stderr.write(l)).error("the gateway did not start", {
      error: lines.join("\n"),
    });
  else for (const line of lines) console.error(line);
  process.exit(1);
});

/** Seconds as a person reads them: "2 days", "36 hours", "90 minutes", "45 seconds". */
function formatSeconds(seconds: number): string {
  for (const [unit, size] of [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ] as const)
    if (seconds % size === 0) return `${seconds / size} ${unit}${seconds === size ? "" : "s"}`;
  return `${seconds} seconds`;
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { consoleDir } from "@pingyi/console/serve";
import type { ValidationContext, ValidationRule } from "graphql";
import {
  createGraphQLError,
  createYoga,
  maskError,
  type Plugin,
  useReadinessCheck,
  type YogaServerInstance,
} from "graphql-yoga";
import { atLeast, type Principal } from "./auth/roles.js";
import { TokenError } from "./auth/tokens.js";
import { clientAddress } from "./client-address.js";
import { isProduction } from "./config.js";
import { createConsoleHandler } from "./console-static.js";
import { type Context, createContext, type Services } from "./context.js";
import {
  GraphQLError,
  type GraphQLErrorType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  validate,
  visit,
} from "./graphql.js";
import { refuseListsInThemselves } from "./list-loops.js";
import { RateLimiter } from "./rate-limit.js";
import {
  newRequestLog,
  type RequestLog,
  requestLogFields,
  requestLogPlugin,
  withRequestLog,
} from "./request-log.js";
import { schema } from "./schema/index.js";
import { PAGE } from "./schema/pages.js";
import { messageOf } from "./startup.js";
import { StoreError, UnavailableError, ValidationError } from "./store/index.js";

type ServerContext = {
  req: IncomingMessage;
  res: ServerResponse;
  requestLog?: RequestLog;
  /** The admin an upload's token names, checked by `listen` before its body was read. */
  uploader?: Principal;
};
export type Yoga = YogaServerInstance<ServerContext, Context>;

const CSRF_HEADERS = ["x-graphql-yoga-csrf", "apollo-require-preflight", "x-pingyi-client"];
const SIMPLE_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * CSRF prevention as in yoga's plugin: a request a browser may send cross-site without a
 * preflight (GET, or a "simple" content type such as a multipart upload) must carry a custom
 * header, which only same-origin or CORS-approved scripts can add.
 */
const csrfPrevention: Plugin = {
  onRequest({ request, endResponse, fetchAPI }) {
    if (new URL(request.url).pathname !== "/graphql") return;
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const simple =
      request.method === "GET" || request.method === "HEAD" || type === "" || SIMPLE_TYPES.includes(type);
    if (!simple || CSRF_HEADERS.some((h) => request.headers.has(h))) return;
    // GraphiQL's page itself is a plain GET of HTML: let browsers load it.
    if (
      request.method === "GET" &&
      (request.headers.get("accept") ?? "").includes("text/html") &&
      !new URL(request.url).search
    )
      return;
    endResponse(
      new fetchAPI.Response(
        JSON.stringify({
          errors: [
            {
              message: `send one of these headers: ${CSRF_HEADERS.join(", ")}`,
              extensions: { code: "CSRF" },
            },
          ],
        }),
        { status: 403, headers: { "content-type": "application/json" } },
      ),
    );
  },
};

/**
 * A request whose variables do not fit their declared types (or a required one left out) never
 * starts: graphql-js answers with errors and no data, which the executor marks HTTP 400 but gives
 * no code. They get BAD_USER_INPUT, the code the same executor already puts on these errors for a
 * subscription; not VALIDATION, whose errors carry `issues` on arguments: these name a variable.
 */
const badVariablesCode: Plugin = {
  onExecute() {
    return {
      onExecuteDone({ result, setResult }) {
        if (!("errors" in result) || "data" in result || !result.errors?.length) return;
        setResult({
          ...result,
          errors: result.errors.map((e) =>
            e.extensions?.code
              ? e
              : createGraphQLError(e.message, {
                  nodes: e.nodes,
                  source: e.source,
                  positions: e.positions,
                  path: e.path,
                  originalError: e.originalError,
                  extensions: { ...e.extensions, code: "BAD_USER_INPUT" },
                }),
          ),
        });
      },
    };
  },
};

/**
 * Armor's cost multiplies a selection by a literal `first` or `last` only: `units(first: $n)` with
 * n = 2,000 under 14 aliases was costed as 14 rows. A document whose `first` or `last` is a
 * variable is costed again, with the request's values (or the variables' defaults) written in,
 * by armor's own rule and limit, before it runs. A value past the largest page counts as that
 * page, which is what a list gives for it (docs/graphql.md).
 */
function costOfVariables(rule: ValidationRule): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const values = args.variableValues ?? {};
      const defaults = new Map<string, number>();
      for (const def of args.document.definitions)
        if (def.kind === Kind.OPERATION_DEFINITION)
          for (const v of def.variableDefinitions ?? [])
            if (v.defaultValue?.kind === Kind.INT)
              defaults.set(v.variable.name.value, Number(v.defaultValue.value));
      let written = false;
      const costed = visit(args.document, {
        Argument(node) {
          if (
            (node.name.value !== "first" && node.name.value !== "last") ||
            node.value.kind !== Kind.VARIABLE
          )
            return undefined;
          const name = node.value.name.value;
          const value = Object.hasOwn(values, name) ? values[name] : defaults.get(name);
          if (!Number.isSafeInteger(value)) return undefined;
          written = true;
          const rows = String(Math.min(value as number, PAGE.maxSize));
          return { ...node, value: { kind: Kind.INT, value: rows } };
        },
      });
      if (!written) return;
      const errors = validate(args.schema, costed, [rule]);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

type Limit = "cost" | "depth" | "aliases" | "directives" | "tokens";

/**
 * graphql-armor's refusals come as "Syntax Error: …" without a code, and hide every number when
 * its `exposeLimits` is off. Armor is told to expose them and to call this instead of throwing;
 * the message here shows the numbers only where `expose` allows (not in production), and always
 * carries QUERY_TOO_COSTLY (docs/graphql.md, Limits).
 */
function limitRefusal(limit: Limit, max: number, expose: boolean) {
  const tooCostly = (armor: GraphQLErrorType) => {
    const found = Math.round(Number(/, found (\d+(?:\.\d+)?)/.exec(armor.message)?.[1]));
    const numbers = expose && Number.isFinite(found);
    const what = {
      cost: numbers
        ? `the query's cost ${found} is over the limit of ${max}`
        : "the query's cost is over the limit",
      depth: numbers
        ? `the query's depth ${found} is over the limit of ${max}`
        : "the query's depth is over the limit",
      aliases: numbers
        ? `the query's ${found} aliases are over the limit of ${max}`
        : "the query has too many aliases",
      directives: numbers
        ? `the query's ${found} directives are over the limit of ${max}`
        : "the query has too many directives",
      tokens: expose
        ? `the query is longer than the limit of ${max} tokens`
        : "the query has too many tokens",
    }[limit];
    const message =
      limit === "cost"
        ? `${what}: ask for fewer rows (first or last multiplies the cost of its selection) or fewer fields`
        : what;
    return new GraphQLError(message, { extensions: { code: "QUERY_TOO_COSTLY" } });
  };
  return {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, armor: GraphQLErrorType) => {
        // Tokens are counted while parsing, where there is no validation context to report to.
        if (!context) throw tooCostly(armor);
        context.reportError(tooCostly(armor));
      },
    ],
  };
}

const noIntrospection: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

/**
 * A request whose token is refused is answered 401 before its query is parsed or validated:
 * yoga builds the context (where the token was read) after validation, so a query that also
 * failed validation was answered 400 with validation's messages, to a caller the gateway does
 * not know, and logged without the refusal. A request without a token goes on as anonymous.
 */
const refuseBadTokens = (principalOf: (request: Request) => Promise<Principal | null>): Plugin => ({
  async onParams({ request }) {
    await principalOf(request);
  },
});

/**
 * An upload's token was checked before its body was read (`listen`): that check is its request's.
 * Verified again once the body is in, a token that expired meanwhile (a long upload on a slow
 * link) was refused 401 after the gateway had read up to PINGYI_MAX_UPLOAD_BYTES it let in.
 */
const checkedUploader = (
  principals: WeakMap<Request, Promise<Principal | null>>,
): Plugin<Record<string, unknown>, ServerContext> => ({
  onRequest({ request, serverContext }) {
    if (serverContext.uploader) principals.set(request, Promise.resolve(serverContext.uploader));
  },
});

async function authenticate(services: Services, header: string | null): Promise<Principal | null> {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // `reason` is for programs (jose's code, or ROLE_MISSING, …); the message is for people.
  const fail = (message: string, reason: string) =>
    createGraphQLError(message, {
      extensions: {
        code: "UNAUTHENTICATED",
        reason,
        http: { status: 401, headers: { "www-authenticate": "Bearer" } },
      },
    });
  if (!m) throw fail("the Authorization header must be 'Bearer <token>'", "HEADER_MALFORMED");
  try {
    return await services.tokens.verify(m[1]!);
  } catch (err) {
    throw fail((err as Error).message, err instanceof TokenError ? err.reason : "UNVERIFIABLE");
  }
}

export function createYogaServer(services: Services): Yoga {
  const { config, logger } = services;
  const production = isProduction(config);
  const exposeLimits = !production;
  const costLimit = {
    ...limitRefusal("cost", config.PINGYI_MAX_COST, exposeLimits),
    maxCost: config.PINGYI_MAX_COST,
    depthCostFactor: 1.2,
    flattenFragments: true,
  };
  const introspection = !production;
  const upTo = (limit: Limit, n: number) => ({ n, ...limitRefusal(limit, n, exposeLimits) });
  // One check of a request's token, read by the request's log line (before validation) and by
  // its context (after it); an upload's is the one made before its body was read.
  const principals = new WeakMap<Request, Promise<Principal | null>>();
  const principalOf = (request: Request) => {
    let principal = principals.get(request);
    if (!principal) {
      principal = authenticate(services, request.headers.get("authorization"));
      principals.set(request, principal);
    }
    return principal;
  };
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    healthCheckEndpoint: "/health",
    landingPage: false,
    graphiql: production
      ? false
      : { title: "Pingyi GraphQL", headers: JSON.stringify({ "x-pingyi-client": "graphiql" }) },
    logging: false,
    // yoga's own cap (25 MB by default) sat below PINGYI_MAX_UPLOAD_BYTES (50 MB) and refused
    // uploads the configuration allows. startServer checks Content-Length against the right limit
    // for the request's type first; this only backs it up.
    maxRequestBodySize: Math.max(config.PINGYI_MAX_UPLOAD_BYTES, config.PINGYI_MAX_BODY_BYTES),
    // yoga's default answers every origin, credentials included: any website a staff member
    // visits could then read an intranet gateway's public rankings. Only the origins an operator
    // lists may call from a browser; the console is served from the gateway's own origin.
    cors: config.PINGYI_CORS_ORIGINS?.length
      ? {
          origin: config.PINGYI_CORS_ORIGINS,
          credentials: false,
          allowedHeaders: ["authorization", "content-type", ...CSRF_HEADERS],
          methods: ["GET", "POST"],
        }
      : false,
    context: async ({ request }) => createContext(services, await principalOf(request), request.signal),
    maskedErrors: {
      maskError: (error, message) => {
        const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
        // The client is told to retry; the operator needs the driver's reason (refused, DNS, a
        // shutdown), which the client's message leaves out.
        if (original instanceof UnavailableError)
          logger.warn("database unavailable", { error: causeText(original) });
        if (original instanceof StoreError) {
          return new GraphQLError(original.message, {
            ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
            extensions: {
              code: original.code,
              ...(original instanceof ValidationError ? { issues: original.issues } : {}),
            },
          });
        }
        if (!(original instanceof GraphQLError)) {
          logger.error("unexpected error", { error: String((original as Error)?.stack ?? original) });
        }
        return maskError(error, message, false);
      },
    },
    plugins: [
      checkedUploader(principals),
      requestLogPlugin(principalOf),
      refuseBadTokens(principalOf),
      csrfPrevention,
      badVariablesCode,
      costOfVariables(costLimitRule(costLimit)),
      refuseListsInThemselves,
      EnvelopArmorPlugin({
        maxDepth: { ...upTo("depth", 12), ignoreIntrospection: true },
        // Armor multiplies a selection by `first` (costOfVariables: by a variable's too), so a 1,000-row ranking page is
        // rightly expensive; a flatter depth factor (default 1.5) because union results add a level.
        costLimit,
        maxAliases: upTo("aliases", 15),
        maxDirectives: upTo("directives", 50),
        maxTokens: upTo("tokens", 2000),
        // "Did you mean …?" names fields as introspection does: hidden exactly where that is off.
        blockFieldSuggestion: { enabled: !introspection },
      }),
      ...(introspection ? [] : [noIntrospection]),
      useReadinessCheck({
        endpoint: "/ready",
        // A reason would go to anyone asking (driver text names hosts and users): log it instead.
        check: async () => {
          try {
            if (services.store.db.workingNow?.()) return true;
            await services.store.db.query("SELECT 1");
            return true;
          } catch (err) {
            services.logger.warn("readiness check failed", { error: causeText(err) });
            return false;
          }
        },
      }),
    ],
  });
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections, ends subscriptions and waits for in-flight requests. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Requests refused before GraphQL runs are still answered as GraphQL errors are, with a code, so
 * a client reads every error one way. 413's is the one yoga gives an upload over its size limit.
 */
const REFUSAL_CODES = {
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  411: "LENGTH_REQUIRED",
  413: "REQUEST_ENTITY_TOO_LARGE",
  429: "RATE_LIMITED",
  503: "UNAVAILABLE",
} as const;

/**
 * TCP keepalive on every accepted connection, probing after a minute idle. Subscriptions stay
 * open for hours, and NATs and load balancers forget a connection idle for a few minutes (AWS's
 * NAT gateway after 350 s, Azure's load balancer after 4 min) without telling either end. The
 * adapter under graphql-yoga turns keepalive on for the requests it handles, but at the kernel's
 * default delay of two hours; and a connection that has sent no request yet had none.
 * Subscriptions also carry yoga's ":" comment every 12 s, which keeps a proxy that watches for
 * traffic (rather than TCP) from timing them out.
 */
const SOCKETS = { keepAlive: true, keepAliveInitialDelay: 60_000 };

export async function listen(
  services: Services,
  yoga: Yoga,
  port: number,
  host: string,
): Promise<RunningServer> {
  const { config, logger } = services;
  const limiter = new RateLimiter(config.PINGYI_RATE_LIMIT, config.PINGYI_RATE_LIMIT_WINDOW_MS);
  const inFlight = new Set<ServerResponse>();
  const streams = new Set<ServerResponse>();
  let closing = false;

  const reject = (
    res: ServerResponse,
    status: keyof typeof REFUSAL_CODES,
    message: string,
    headers: Record<string, string> = {},
    reason?: string,
  ) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    const extensions = { code: REFUSAL_CODES[status], ...(reason === undefined ? {} : { reason }) };
    res.end(JSON.stringify({ errors: [{ message, extensions }] }));
  };

  // The analysts' console: static files at `/`, when it has been built.
  const serveConsole = createConsoleHandler(consoleDir());
  const server = createServer(SOCKETS, (req, res) => {
    const started = performance.now();
    const client = clientAddress(req, config.PINGYI_TRUST_PROXY);
    // Filled by requestLogPlugin when the request reaches GraphQL: who, which operation, which errors.
    const requestLog = newRequestLog();
    // "close", not "finish": a response the client walked away from (a closed subscription, a
    // hung-up import) never finishes, and would otherwise get no line and stay in flight,
    // holding a shutdown for its whole grace period.
    res.on("close", () => {
      inFlight.delete(res);
      streams.delete(res);
      const path = (req.url ?? "").split("?")[0];
      // A load balancer probes every few seconds: only a failing probe is news.
      const probe = (path === "/health" || path === "/ready") && res.statusCode < 400;
      (probe ? logger.debug : logger.info)("request", {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        client,
        ...(res.writableFinished ? {} : { aborted: true }),
        ...requestLogFields(requestLog),
      });
    });
    if (closing) return reject(res, 503, "shutting down", { connection: "close" });
    const path = (req.url ?? "").split("?")[0] ?? "";
    // Every request counts except the probes and the console's own files (a page load is a
    // dozen of them, and an office behind one address shares the limit), which are known only
    // once the console has looked: whatever it does not serve (yoga answers /./graphql and any
    // path ending in /graphql) counts then.
    const probe = path === "/health" || path === "/ready";
    const limited = () => {
      const retry = limiter.take(client);
      if (retry > 0) reject(res, 429, "too many requests", { "retry-after": String(retry) });
      return retry > 0;
    };
    const mayBeConsole = req.method === "GET" || req.method === "HEAD";
    if (!probe && !mayBeConsole && limited()) return;
    const multipart =
      req.method === "POST" && String(req.headers["content-type"] ?? "").startsWith("multipart/");
    if (req.method === "POST") {
      const length = Number(req.headers["content-length"]);
      const max = multipart ? config.PINGYI_MAX_UPLOAD_BYTES : config.PINGYI_MAX_BODY_BYTES;
      if (!Number.isFinite(length)) return reject(res, 411, "a Content-Length header is required");
      if (length > max) return reject(res, 413, `request body larger than ${max} bytes`);
    }
    inFlight.add(res);
    if (String(req.headers.accept ?? "").includes("text/event-stream")) streams.add(res);
    const answer = (admin?: Principal) =>
      void serveConsole(req, res).then((served) => {
        if (served || (!probe && mayBeConsole && limited())) return;
        // yoga also answers "/graphql/", "//graphql" and any path ending in "/graphql", where
        // the CSRF check (and a proxy's rules for "/graphql") would not see them.
        if (!GATEWAY_PATHS.has(path))
          return reject(res, 404, `no such path: ${path} (the API is at /graphql)`);
        return withRequestLog(requestLog, () => yoga(req, res, { req, res, requestLog, uploader: admin }));
      });
    if (!multipart) return answer();
    // A multipart body is an upload, up to PINGYI_MAX_UPLOAD_BYTES, and only an admin uploads:
    // its token is checked before the body is read, so that anyone cannot make the gateway
    // take in 50 MB per request. The connection is closed on the unread body.
    void uploader(services, req.headers.authorization).then((checked) => {
      if ("principal" in checked) return answer(checked.principal);
      inFlight.delete(res);
      const headers = {
        connection: "close",
        ...(checked.status === 401 ? { "www-authenticate": "Bearer" } : {}),
      };
      reject(res, checked.status, checked.message, headers, checked.reason);
    });
  });
  server.requestTimeout = 300_000;
  // Node closes an idle keep-alive connection after 5 s. A proxy in front (nginx's upstream
  // keepalive, AWS's load balancer: 60 s) that reuses one just as it closes gets a reset and
  // answers 502; the proxy must give up on an idle connection first, so the gateway waits longer.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${shownHost}:${addr.port}`,
    close: async (timeoutMs = 10_000) => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Subscriptions never finish on their own; end them so clients reconnect elsewhere.
      for (const res of streams) res.end();
      server.closeIdleConnections();
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > streams.size && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
      await yoga.dispose();
    },
  };
}

/** The paths yoga answers; the console's files are served before it. */
const GATEWAY_PATHS = new Set(["/graphql", "/health", "/ready"]);

/** The admin a multipart request's token names, or why it may not upload (no admin token). */
async function uploader(
  services: Services,
  header: string | undefined,
): Promise<{ principal: Principal } | { status: 401 | 403; message: string; reason?: string }> {
  let principal: Principal | null;
  try {
    principal = await authenticate(services, header ?? null);
  } catch (err) {
    // As a refused token answers elsewhere: `reason` (ERR_JWT_EXPIRED, …) for programs too.
    const reason = (err as { extensions?: { reason?: unknown } }).extensions?.reason;
    return {
      status: 401,
      message: (err as Error).message,
      ...(typeof reason === "string" ? { reason } : {}),
    };
  }
  if (!principal)
    return {
      status: 401,
      message: "an upload (a multipart request) needs an admin's token: send `Authorization: Bearer <token>`",
    };
  if (!atLeast(principal.role, "admin"))
    return {
      status: 403,
      message: `an upload (a multipart request) needs the admin role; this token's role is ${principal.role}`,
    };
  return { principal };
}

/** The driver's own words under one of our errors (ECONNREFUSED, an admin shutdown, …). */
function causeText(err: unknown): string {
  return messageOf((err as { cause?: unknown } | null)?.cause ?? err);
}

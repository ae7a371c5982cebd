import { AsyncLocalStorage } from "node:async_hooks";
import type { DocumentNode, ExecutionResult, OperationDefinitionNode, OperationTypeNode } from "graphql";
import { isAsyncIterable, mapAsyncIterator, type Plugin } from "graphql-yoga";
import type { Principal } from "./auth/roles.js";
import { Kind } from "./graphql.js";

/**
 * What one HTTP request did in GraphQL, for its "request" log line: who asked, which operation,
 * and the codes of the errors it was answered with. `listen` makes one per request and passes it
 * to yoga in the server context; `requestLogPlugin` fills it as the request runs.
 */
export interface RequestLog {
  principal?: Principal;
  /** One per operation (a batch has several); a request whose query did not parse has none. */
  operations: { name?: string; type: OperationTypeNode }[];
  /**
   * The `operationName` the request sent, for a line whose query was never read (a refused
   * token is answered before parsing): which client holds a stale token is what an operator asks.
   */
  requested?: string;
  /**
   * `extensions.code` of every error in the response, subscription events included, and the
   * `code` of every error answered as a typed result (`… on ValidationError`).
   */
  codes: Set<string>;
}

export const newRequestLog = (): RequestLog => ({ operations: [], codes: new Set() });

/**
 * The log of the request being served, for errors answered as typed results (a
 * `ValidationError` in a field's union: most of this API's refusals), which the errors plugin
 * reports without the request's context. Scoped to the request's async work, not a global.
 */
const serving = new AsyncLocalStorage<RequestLog>();

/** Runs `handle` (yoga, for one request) with `log` as the request's log. */
export const withRequestLog = <T>(log: RequestLog, handle: () => T): T => serving.run(log, handle);

/** For the errors plugin's `onResolvedError`: a typed error's code goes on its request's line. */
export function noteTypedError(error: Error): void {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") serving.getStore()?.codes.add(code);
}

// The name is the client's: a long one is cut rather than copied into every line.
const NAME_CHARS = 100;

const cut = (name: string) => (name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS)}…` : name);

/** The operation graphql-js runs: the one named, or the only one (as its getOperationAST). */
function operationOf(document: DocumentNode, name?: string | null): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? ops.find((o) => o.name?.value === name) : ops.length === 1 ? ops[0] : undefined;
}

function recordCodes(log: RequestLog, result: ExecutionResult): void {
  for (const error of result.errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code === "string") log.codes.add(code);
  }
}

/**
 * The fields the request's line gets; none for a request that never reached GraphQL (the
 * console's files, /health). Anonymous callers get no `actor`; an unnamed operation no `operation`.
 */
export function requestLogFields(log: RequestLog): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (log.principal) {
    fields.actor = log.principal.subject;
    fields.role = log.principal.role;
  }
  const named = (op: RequestLog["operations"][number]) => ({
    ...(op.name ? { operation: op.name } : {}),
    operationType: op.type,
  });
  if (log.operations.length === 0 && log.requested) fields.operation = log.requested;
  if (log.operations.length === 1) Object.assign(fields, named(log.operations[0]!));
  // Batches are off (yoga refuses them); were they on, every operation is listed in order.
  else if (log.operations.length > 1) fields.operations = log.operations.map(named);
  if (log.codes.size > 0) fields.errors = [...log.codes];
  return fields;
}

type LogContext = { requestLog?: RequestLog };

/**
 * Fills the server context's `requestLog`: the caller as soon as the request's parameters are
 * read, the operation once parsed, and the error codes of the result as sent, after masking; a
 * subscription's as each event goes out. The caller comes before validation (yoga builds the
 * context after it), so a query refused there is logged with who sent it. `principalOf` is the
 * server's authentication of the request, the one its context reads.
 */
export const requestLogPlugin = (
  principalOf: (request: Request) => Promise<Principal | null>,
): Plugin<LogContext> => ({
  async onParams({ request, context, params }) {
    const log = (context as LogContext).requestLog;
    if (!log) return;
    const requested = params.operationName;
    if (typeof requested === "string" && requested !== "") log.requested = cut(requested);
    // A refused token is answered 401 as the parameters are read (server.ts, refuseBadTokens);
    // here it only leaves the line without a caller.
    const principal = await principalOf(request).catch(() => null);
    if (principal) log.principal = principal;
  },
  onParse() {
    return ({ context, result }) => {
      const log = context.requestLog;
      if (!log || !result || result instanceof Error) return;
      const op = operationOf(result, context.params?.operationName);
      if (!op) return;
      const name = op.name?.value;
      log.operations.push({ ...(name ? { name: cut(name) } : {}), type: op.operation });
    };
  },
  onResultProcess({ result, setResult, serverContext }) {
    const log = (serverContext as LogContext).requestLog;
    if (!log) return;
    if (isAsyncIterable(result)) {
      setResult(
        mapAsyncIterator(result, (event) => {
          recordCodes(log, event);
          return event;
        }),
      );
      return;
    }
    for (const r of Array.isArray(result) ? result : [result]) recordCodes(log, r);
  },
});

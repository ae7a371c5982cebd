import { loadSession } from "./auth";

/** A problem the gateway reported: a typed `Error` result or a top-level GraphQL error. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly issues: { path: string; message: string }[] = [],
    /** Seconds the reply's Retry-After asks to wait (a 429's), or null when it does not say. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/**
 * A reply that is not the gateway's JSON: whatever stands between the console and the gateway (a
 * proxy, Vite's dev server) answered instead, with nothing but its status to go by. The message,
 * "HTTP 418", is what support reads; `statusText` is the reason phrase, empty over HTTP/2.
 */
export class HttpError extends ApiError {
  constructor(
    readonly status: number,
    readonly statusText: string,
    retryAfter: number | null = null,
  ) {
    super(`HTTP ${status}`, "HTTP", [], retryAfter);
  }
}

/** Called when the gateway says the token is missing, invalid or expired. */
let onUnauthenticated: () => void = () => {};
export const setUnauthenticatedHandler = (fn: () => void): void => {
  onUnauthenticated = fn;
};
/** For requests not made through gql (the live-updates stream): the session is over, as gql says it. */
export const reportUnauthenticated = (): void => onUnauthenticated();

/** POSTs one operation to the gateway's /graphql with the session's bearer token. */
export function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; signal?: AbortSignal } = {},
): Promise<T> {
  return send<T>(JSON.stringify({ query, variables }), "application/json", options);
}

/**
 * POSTs one operation with files, as the GraphQL multipart request spec has it: the operation
 * with each file's variable null, a map from each file part to its variable, then the files.
 * The content type is left to fetch, which writes the form's boundary into it; x-pingyi-client
 * is what lets the gateway's CSRF check take a multipart form, which a browser may send
 * cross-site without a preflight.
 */
export function gqlUpload<T>(
  query: string,
  variables: Record<string, unknown>,
  files: Record<string, File>,
  options: { token?: string; signal?: AbortSignal } = {},
): Promise<T> {
  const names = Object.keys(files);
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({
      query,
      variables: { ...variables, ...Object.fromEntries(names.map((n) => [n, null])) },
    }),
  );
  form.append("map", JSON.stringify(Object.fromEntries(names.map((n, i) => [i, [`variables.${n}`]]))));
  names.forEach((n, i) => {
    const file = files[n]!;
    form.append(String(i), file, file.name);
  });
  return send<T>(form, null, options);
}

async function send<T>(
  payload: string | FormData,
  contentType: string | null,
  options: { token?: string; signal?: AbortSignal },
): Promise<T> {
  const token = options.token ?? loadSession()?.token;
  const signal = options.signal ?? null;
  let res: Response;
  let text: string;
  try {
    res = await fetch("/graphql", {
      method: "POST",
      headers: {
        ...(contentType ? { "content-type": contentType } : {}),
        "x-pingyi-client": "console",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: payload,
      signal,
    });
    // Read whole before parsing: a connection dropped mid-reply is no reply, not a reply that is
    // not JSON.
    text = await res.text();
  } catch (err) {
    // The caller's own cancellation (useQuery's, once its view has moved on) stays what it is:
    // whoever aborted drops it. Anything else is fetch's English ("Failed to fetch"), which the
    // views word by the code instead, keeping it as the detail.
    if (signal?.aborted) throw err;
    throw new ApiError(err instanceof Error ? err.message : String(err), "NETWORK");
  }
  const retryAfter = retryAfterSeconds(res.headers.get("retry-after"));
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string; issues?: [] } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(res.status, res.statusText, retryAfter);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? "GRAPHQL";
    if (code === "UNAUTHENTICATED" && !options.token) onUnauthenticated();
    throw new ApiError(first.message, code, first.extensions?.issues ?? [], retryAfter);
  }
  return body.data as T;
}

/**
 * Retry-After as the gateway sends it (server.ts): whole seconds. An HTTP date, which a proxy may
 * send instead, and 0 are read as not saying: "wait a moment" is still true of them.
 */
export function retryAfterSeconds(header: string | null): number | null {
  const seconds = /^\s*(\d+)\s*$/.exec(header ?? "")?.[1];
  return seconds && Number(seconds) > 0 ? Number(seconds) : null;
}

/** Union results (`Ranking | NotFoundError | …`): returns the value or throws its typed error. */
export function unwrap<T extends { __typename: string }>(result: T, expected: string): T {
  if (result.__typename === expected) return result;
  const e = result as unknown as {
    code?: string;
    message?: string;
    issues?: { path: string; message: string }[];
  };
  throw new ApiError(e.message ?? result.__typename, e.code ?? result.__typename, e.issues ?? []);
}

/** The GraphQL fragment every union field needs to surface typed errors. */
export const ERROR_FIELDS =
  "... on Error { code message } ... on ValidationError { issues { path message } }";

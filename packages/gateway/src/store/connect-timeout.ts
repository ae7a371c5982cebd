/**
 * A PostgreSQL server that never answered within the connect timeout. The driver says
 * "Connection terminated unexpectedly" (or "… due to connection timeout"), which reads as if the
 * server dropped the connection; nothing answered at all, which is a firewall dropping packets
 * or the wrong host or port far more often than a server fault.
 */

/** Whether `err`, thrown `elapsedMs` after a connect began, is the connect timeout running out. */
export function isConnectTimeout(err: unknown, elapsedMs: number, timeoutMs: number): boolean {
  // A server that answered, even to refuse, gives a SQLSTATE or a system error code.
  if ((err as { code?: unknown } | null)?.code !== undefined) return false;
  const message = err instanceof Error ? err.message : "";
  return /connection timeout|timeout expired/i.test(message) || elapsedMs >= timeoutMs;
}

/** Where `url` connects, as host:port (5432 when it names none), or "the server" for a socket. */
function serverAddress(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return hostname ? `${hostname}:${port || "5432"}` : "the server";
  } catch {
    return "the server";
  }
}

/** The error to throw instead of the driver's, naming where nothing answered and for how long. */
export function noAnswerError(url: string, timeoutMs: number, cause: unknown): Error {
  return new Error(
    `no answer from ${serverAddress(url)} within ${timeoutMs / 1000} s (a firewall, or the wrong host or port?)`,
    { cause },
  );
}

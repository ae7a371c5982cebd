import type { IncomingMessage } from "node:http";

/**
 * Whom a request comes from, for the limits per client: the address the connection comes from or,
 * behind a proxy the operator trusts (PINGYI_TRUST_PROXY), the address that proxy appended to
 * X-Forwarded-For. Everything left of the last entry is whatever the client sent.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? (String(req.headers["x-forwarded-for"] ?? "")
        .split(",")
        .at(-1)
        ?.trim() ?? "")
    : "";
  return forwarded || req.socket.remoteAddress || "unknown";
}

import { vi } from "vitest";

// Test support, not part of the console.

/**
 * A gateway answering every request over `fetch` with `data`; returns the variables of each
 * request, in order, so a test can say what the console sent.
 */
export function answering(data: unknown): Record<string, unknown>[] {
  const sent: Record<string, unknown>[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      sent.push(JSON.parse(init.body).variables);
      return new Response(JSON.stringify({ data }));
    }),
  );
  return sent;
}

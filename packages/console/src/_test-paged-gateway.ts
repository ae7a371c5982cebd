import { vi } from "vitest";

// Test support, not part of the console: gateways answering paged connections over `fetch`.

/** The gateway's refusal of a cursor issued before the list's data changed. */
export function staleCursorResponse(): Response {
  const message = "the list changed since this cursor was issued (ask for the first page again)";
  const extensions = { code: "STALE_CURSOR", issues: [{ path: "after", message }] };
  return new Response(JSON.stringify({ errors: [{ message: `after: ${message}`, extensions }] }));
}

/**
 * A gateway whose data changes once, as the second page is asked for: that cursor is refused as
 * STALE_CURSOR and every later answer is of the new data. `answer` builds a result around one
 * page of `rows` units (cursors are row offsets, pages as long as the query's `first: n`) from
 * the revision it answers from (0, then 1). Returns every request's variables.
 */
export function changingGateway(rows: number, answer: (units: unknown, revision: number) => unknown) {
  let revision = 0;
  const sent: { after?: string | null; [name: string]: unknown }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const { query, variables } = JSON.parse(init.body) as { query: string; variables: { after?: string } };
      sent.push(variables);
      if (variables.after != null && revision === 0) {
        revision = 1;
        return staleCursorResponse();
      }
      const from = Number(variables.after ?? 0);
      const to = Math.min(rows, from + Number(query.match(/first: (\d+)/)![1]));
      const edges = Array.from({ length: to - from }, (_, i) => ({
        cursor: String(from + i + 1),
        node: { unitId: `U${from + i}`, name: `revision ${revision}` },
      }));
      const units = { pageInfo: { hasNextPage: to < rows, endCursor: String(to) }, edges };
      return new Response(JSON.stringify({ data: answer(units, revision) }));
    }),
  );
  return sent;
}

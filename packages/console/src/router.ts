import { useEffect, useState } from "react";

/** Hash routes (`#/whatif?scenario=ID`): the gateway serves one index.html for every path. */
export interface Route {
  page: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const [page = "", query = ""] = raw.split("?");
  return { page: page || "rankings", params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return parseHash(hash);
}

export function href(page: string, params: Record<string, string | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return `#/${page}${s ? `?${s}` : ""}`;
}

/**
 * Corrects the URL from an effect of this render: runs `write`, when there is one. React runs
 * effects a moment after the render, and a user can change the URL in between (pick a cycle, go
 * to another page): written then, the correction would replace their choice. A URL changed since
 * the render is left alone; the render of the new URL decides again. `deps` are what `write` reads.
 */
export function useUrlCorrection(write: (() => void) | null, deps: readonly unknown[]): void {
  const renderedHash = location.hash;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` name what `write` reads; a new hash must run the check again
  useEffect(() => {
    if (write && location.hash === renderedHash) write();
  }, [...deps, renderedHash]);
}

/** Changes query parameters of the current page without adding a history entry for each. */
export function updateParams(changes: Record<string, string | null | undefined>, push = false): void {
  const { page, params } = parseHash(location.hash);
  for (const [k, v] of Object.entries(changes)) {
    if (v) params.set(k, v);
    else params.delete(k);
  }
  const s = params.toString();
  const next = `#/${page}${s ? `?${s}` : ""}`;
  if (push) location.hash = next;
  else {
    history.replaceState(null, "", next);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  }
}

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

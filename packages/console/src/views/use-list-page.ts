import { useRef } from "react";
import {
  type CycleList,
  DEFAULT_PAGE_SIZE,
  type ListPage,
  loadListPage,
  PAGE_SIZES,
} from "../cycle-list-page";
import { updateParams, useUrlCorrection } from "../router";
import { type QueryState, useQuery } from "../use-query";

/** The page size and the page in the URL (`rows`, and `page` 1-based, as shown). */
export function pagingOf(params: URLSearchParams): { size: number; index: number } {
  const size = Number(params.get("rows"));
  const page = Number(params.get("page"));
  return {
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
    index: Number.isSafeInteger(page) && page > 1 ? page - 1 : 0,
  };
}

/** A changed filter or page size starts the list again at its first page. */
export const refilter = (changes: Record<string, string | null>) => updateParams({ ...changes, page: null });

/** Goes to another page of the list, in the URL. */
export const goToPage = (index: number) => updateParams({ page: index > 0 ? String(index + 1) : null });

/**
 * The page of a cycle's list that the URL asks for, read again whenever `revision` changes (after
 * a write: the page is read again from the gateway, not patched here). A list that got shorter
 * (a write, a colleague's) shows its last page, and the URL then says which.
 */
export function useListPage<F extends { [K in keyof F]: string | null }, T>(
  list: CycleList<F>,
  cycleId: string | null,
  paging: { filter: F; size: number; index: number },
  revision: number,
): QueryState<ListPage<T>> {
  const { filter, size, index } = paging;
  const listKey = cycleId ? JSON.stringify([list.field, cycleId, filter, size]) : null;
  // The cursors each page of this list starts after, as far as they are known: Next and
  // Previous read the page straight after one. One issued before a write is refused as stale,
  // and loadListPage then finds the page again from the first.
  const cursors = useRef<{ key: string | null; known: Map<number, string | null> }>({
    key: null,
    known: new Map(),
  });
  const page = useQuery(
    listKey && `${listKey}#${index}`,
    async (signal) => {
      const known =
        cursors.current.key === listKey ? cursors.current.known : new Map<number, string | null>();
      const read = await loadListPage<F, T>(
        list,
        { cycleId: cycleId!, filter, size, index, after: known.get(index) },
        signal,
      );
      if (!signal.aborted) cursors.current = { key: listKey, known: new Map([...known, ...read.cursors]) };
      return read;
    },
    revision,
  );
  const shown = page.current;
  // The page shown, written to the URL unless the user went elsewhere meanwhile.
  useUrlCorrection(shown && shown.index !== index ? () => goToPage(shown.index) : null, [shown, index]);
  return page;
}

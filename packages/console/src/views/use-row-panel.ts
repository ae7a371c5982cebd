import { forgetFormDraft } from "../draft-store";
import { useDraft } from "./use-draft";

/** The row of a list with a panel open under it, and which panel. */
export interface OpenPanel<P extends string> {
  row: string;
  panel: P;
}

/**
 * Which row of a list has a panel open under it (an editor, a deletion's confirmation), one at a
 * time. An editor is kept open as its draft is kept (useDraft, under `form`): an expired session
 * brings both back. Any other panel is opened afresh, never brought back: a deletion is asked
 * again. `editors` names each editor's draft for a row; an editor closed, or left for another
 * row, unsaved, has its draft discarded with it.
 */
export function useRowPanel<P extends string>(
  form: string,
  editors: Partial<Record<P, (row: string) => string>>,
): [OpenPanel<P> | null, (next: OpenPanel<P> | null) => void] {
  const kept = useDraft(form, { row: "", panel: "" });
  const draftOf = (panel: string) => (Object.hasOwn(editors, panel) ? editors[panel as P] : undefined);
  const { row, panel } = kept.value;
  // Only an editor is ever kept: a panel read from before that is none (the page has changed
  // since) is nothing open.
  const open = row && panel && (draftOf(panel) || !kept.restored) ? { row, panel: panel as P } : null;
  const setOpen = (next: OpenPanel<P> | null) => {
    const draft = open && draftOf(open.panel);
    if (draft && open && (next?.row !== open.row || next.panel !== open.panel))
      forgetFormDraft(draft(open.row));
    if (next && draftOf(next.panel)) kept.edit(next);
    else kept.reset(next ?? undefined);
  };
  return [open, setOpen];
}

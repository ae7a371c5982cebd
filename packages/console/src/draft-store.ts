/**
 * An administrator's unpublished scheme draft, kept in the tab's sessionStorage per scheme: an
 * expired session swaps the page for the sign-in screen, and the draft must survive that.
 */
export interface StoredDraft {
  basedOn: number | null;
  text: string;
  reason: string;
}

const PREFIX = "pingyi.draft.";

export function loadDraft(schemeId: string): StoredDraft | null {
  const raw = sessionStorage.getItem(PREFIX + schemeId);
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<StoredDraft>;
    if (typeof d.text !== "string") return null;
    return {
      basedOn: typeof d.basedOn === "number" ? d.basedOn : null,
      text: d.text,
      reason: typeof d.reason === "string" ? d.reason : "",
    };
  } catch {
    return null;
  }
}

export function saveDraft(schemeId: string, draft: StoredDraft): void {
  try {
    sessionStorage.setItem(PREFIX + schemeId, JSON.stringify(draft));
  } catch {
    // A full storage quota costs the safety net, not the edit on screen.
  }
}

export function forgetDraft(schemeId: string): void {
  sessionStorage.removeItem(PREFIX + schemeId);
}

/** On signing out: the next person to sign in in this tab does not inherit the drafts. */
export function forgetAllDrafts(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
}

import { DraftNote } from "./draft-note";

/**
 * Said in a Robustness card whose settings came back from before (useDraft's `restored`: an
 * expired session, or a visit to another page), as the What-if page says of its own: an analyst
 * would otherwise find bounds or samples that are not the page's own with no word why. As a
 * form's note, it goes once the card shows the page's own settings, and the next change does not
 * bring it back (useDraft): what is on screen is then the analyst's, not what came back.
 */
export function SettingsNote(props: { name: string; restored: boolean; onDiscard: () => void }) {
  return <DraftNote {...props} words={{ restored: "robust.restored", discard: "robust.discard" }} />;
}

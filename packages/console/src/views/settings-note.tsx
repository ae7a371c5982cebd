import { useState } from "react";
import { DraftNote } from "./draft-note";

/**
 * Said in a Robustness card whose settings came back from before (useDraft's `restored`: an
 * expired session, or a visit to another page), as the What-if page says of its own: an analyst
 * would otherwise find bounds or samples that are not the page's own with no word why. Only while
 * the card shows other settings than the page starts it with (`atStart` false): what came back
 * may show nothing of its own (a sweep's donor kept from a transfer since left, a mode the sweep
 * no longer offers), and a note of it would point at nothing to set back. Once the card shows the
 * page's own (set back to them, by hand or by the button), what is on screen is no longer what
 * came back, and the note does not return with the next change.
 */
export function SettingsNote(props: {
  name: string;
  restored: boolean;
  atStart: boolean;
  onDiscard: () => void;
}) {
  const [passed, setPassed] = useState(false);
  if (props.restored && props.atStart && !passed) setPassed(true);
  return (
    <DraftNote
      name={props.name}
      restored={props.restored && !props.atStart && !passed}
      onDiscard={props.onDiscard}
      words={{ restored: "robust.restored", discard: "robust.discard" }}
    />
  );
}

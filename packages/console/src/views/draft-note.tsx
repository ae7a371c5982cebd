import { type TranslationKey, useI18n } from "../i18n";

/**
 * Said in a form that came back holding what was typed in it before (useDraft's `restored`): it
 * is not saved, and a person who no longer wants it starts afresh from here. Not once the form
 * shows its start again, by hand too (useDraft): there is nothing left to discard. `words` for
 * what came back is no typing to save (an analysis's settings): the note's and the button's.
 */
export function DraftNote(props: {
  name: string;
  restored: boolean;
  onDiscard: () => void;
  words?: { restored: TranslationKey; discard: TranslationKey };
}) {
  const { t } = useI18n();
  if (!props.restored) return null;
  const words = props.words ?? { restored: "draft.restored", discard: "draft.discard" };
  return (
    <p className="muted" data-testid={`${props.name}-restored`}>
      {t(words.restored)}{" "}
      <button type="button" data-testid={`${props.name}-discard`} onClick={props.onDiscard}>
        {t(words.discard)}
      </button>
    </p>
  );
}

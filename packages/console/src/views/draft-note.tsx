import { useI18n } from "../i18n";

/**
 * Said in a form that came back holding what was typed in it before (useDraft's `restored`): it
 * is not saved, and a person who no longer wants it starts afresh from here.
 */
export function DraftNote(props: { name: string; restored: boolean; onDiscard: () => void }) {
  const { t } = useI18n();
  if (!props.restored) return null;
  return (
    <p className="muted" data-testid={`${props.name}-restored`}>
      {t("draft.restored")}{" "}
      <button type="button" data-testid={`${props.name}-discard`} onClick={props.onDiscard}>
        {t("draft.discard")}
      </button>
    </p>
  );
}

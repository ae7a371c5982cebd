import { type DeleteRefusal, deleteRefusal } from "../delete-refusal";
import { errorText, useI18n } from "../i18n";

/**
 * A write under a row refused because the page is out of date (the record gone, the cycle
 * finalised) or not the signed-in role's to make: said at the row in the page's language, the
 * gateway's words kept as the title for support; any other refusal as the gateway words it.
 */
export function RowRefusal(props: {
  testId: string;
  error: Error;
  reasons: Record<DeleteRefusal, string>;
  /** The sentence a refusal is said in, around its reason. */
  refusedText: (reason: string) => string;
}) {
  const { t } = useI18n();
  const reason = deleteRefusal(props.error);
  const said = reason
    ? { text: props.reasons[reason], detail: props.error.message }
    : errorText(props.error, t);
  return (
    <div className="error" role="alert" data-testid={props.testId} title={said.detail ?? undefined}>
      {props.refusedText(said.text)}
    </div>
  );
}

/** Whether a refusal says the page is out of date: the write is not tried again from it. */
export const staleRefusal = (error: Error | null): boolean => error !== null && deleteRefusal(error) !== null;

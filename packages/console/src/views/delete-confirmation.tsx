import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { type DeleteRefusal, deleteRefusal } from "../delete-refusal";
import { fieldProblems } from "../field-problems";
import { errorText, useI18n } from "../i18n";

/**
 * Deleting one record of a list, asked under its row: a public-service record leaves the
 * evaluation and only the audit log keeps it, so the question names the record, the focus starts
 * on Cancel, and the button that deletes names the record too. A refusal stays here, at the row,
 * in the page's language; closing it reads the page again (`onClose(true)`). A delete that keeps
 * a reason asks for it in `fields`, whose refusal the page names at its box.
 */
export function DeleteConfirmation(props: {
  /** Names the test ids of the refusal and the buttons: `${name}-delete-confirm` … */
  name: string;
  question: string;
  /** What the record is, under the question. */
  detail: ReactNode;
  warning: string;
  /** The button that deletes, naming the record. */
  confirm: string;
  /** The page's words for the refusals it words itself. */
  reasons: Record<DeleteRefusal, string>;
  /** The sentence a refusal is said in, around its reason. */
  refusedText: (reason: string) => string;
  remove: () => Promise<void>;
  onDeleted: () => void;
  onClose: (refused: boolean) => void;
  /** Boxes asked with the question (a reason for the audit log), above its buttons. */
  fields?: ReactNode;
  /** What `fields` says a refusal of: one naming only these is said there, not again here. */
  fieldPaths?: readonly string[];
  /** Checked before anything is sent: false sends nothing, a box of `fields` saying why. */
  ready?: () => boolean;
}) {
  const { t } = useI18n();
  const [refused, setRefused] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  // Enter or Space straight after opening cancels: deleting takes a move to the other button.
  useEffect(() => cancel.current?.focus(), []);
  const reason = refused && deleteRefusal(refused);
  const atBoxes = refused !== null && !fieldProblems(refused, props.fieldPaths ?? []).elsewhere;
  // The gateway's words stay as the title, for support, when the page words a refusal itself.
  const said =
    refused &&
    !atBoxes &&
    (reason ? { text: props.reasons[reason], detail: refused.message } : errorText(refused, t));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (props.ready && !props.ready()) {
      setMarked((n) => n + 1);
      return;
    }
    setBusy(true);
    setRefused(null);
    try {
      await props.remove();
      props.onDeleted();
    } catch (err) {
      setRefused(err as Error);
      if (fieldProblems(err as Error, props.fieldPaths ?? []).elsewhere) cancel.current?.focus();
      else setMarked((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };
  // A problem said at its box is corrected there: the box takes the focus once it is marked.
  const form = useRef<HTMLFormElement>(null);
  const [marked, setMarked] = useState(0);
  useEffect(() => {
    if (marked) (form.current?.querySelector<HTMLElement>("[aria-invalid=true]") ?? cancel.current)?.focus();
  }, [marked]);
  const onEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape") props.onClose(refused !== null);
  };
  const titleId = useId();
  return (
    <form
      ref={form}
      className="stack"
      data-testid="delete-form"
      aria-labelledby={titleId}
      onSubmit={(e) => void submit(e)}
      onKeyDown={onEscape}
    >
      <strong id={titleId} data-testid="delete-question">
        {props.question}
      </strong>
      <span className="muted">{props.detail}</span>
      <span>{props.warning}</span>
      {props.fields}
      {said && (
        <div
          className="error"
          role="alert"
          data-testid={`${props.name}-delete-refused`}
          title={said.detail ?? undefined}
        >
          {props.refusedText(said.text)}
        </div>
      )}
      <div className="toolbar">
        {/* A refusal that says the page is out of date is not tried again from it. */}
        {!reason && (
          <button type="submit" data-testid={`${props.name}-delete-confirm`} disabled={busy}>
            {props.confirm}
          </button>
        )}
        <button
          type="button"
          ref={cancel}
          data-testid={`${props.name}-delete-cancel`}
          onClick={() => props.onClose(refused !== null)}
        >
          {refused ? t("close") : t("cancel")}
        </button>
      </div>
    </form>
  );
}

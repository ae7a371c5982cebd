import { type ComponentProps, useRef } from "react";
import { fieldProblems } from "../field-problems";
import { DeleteConfirmation } from "./delete-confirmation";
import { useReasonedDeletion } from "./use-reasoned-deletion";

/** What a counted deletion says, in the page's words, the count already in them. */
export type CountedDeletionWords = Pick<
  ComponentProps<typeof DeleteConfirmation>,
  "question" | "detail" | "warning" | "confirm" | "reasons" | "refusedText"
> & {
  /** The button that opens the question. */
  open: string;
  /** The reason box's label. */
  reason: string;
  /** Said at the boxes when the number stored is not the one asked about. */
  changed: string;
};

/** The cycle a counted deletion is of, and what the page hears of it. */
export interface CountedDeletionEvents {
  cycleId: string;
  onDeleted: (deleted: number) => void;
  onRefused: (refused: Error | null) => void;
  /** The number stored is not the one asked about: read it again, the question staying open. */
  onStale: () => void;
  /** `refused`: the page is read again (the records may be gone, the cycle finalised). */
  onClose: (refused: boolean) => void;
}

/**
 * Records with no id of their own (a category's ballots, a filter's survey forms) deleted at once,
 * asked first as one record's delete is. The question says how many, and exactly that number goes:
 * the gateway refuses another (a record written meanwhile) at `countField`, and the count is read
 * again (`onStale`) for the question to say the new one before it is confirmed again. The reason
 * given goes to the one audit entry that keeps them all; its refusal stands beside its box. Any
 * refusal goes to `onRefused` too, so that the page names the filter box it is at (none left).
 */
export function CountedDeletion(
  props: CountedDeletionEvents & {
    /** Names the test ids of the question (`${name}-delete-confirm` …), its reason box and the changed count. */
    name: string;
    /** The card's test id; its button's is `${testId}-open`. */
    testId: string;
    /** The field the gateway names when the number stored is not the one asked about. */
    countField: string;
    words: CountedDeletionWords;
    /** Deletes them, with the reason given if any; answers how many went. */
    remove: (reason: string | undefined) => Promise<number>;
  },
) {
  const { words, countField } = props;
  const deleted = useRef(0);
  const deletion = useReasonedDeletion({
    key: props.cycleId,
    form: `${props.name}-delete`,
    label: words.reason,
    fieldPaths: ["reason", countField],
    remove: async (reason) => {
      try {
        deleted.current = await props.remove(reason);
      } catch (e) {
        if (fieldProblems(e as Error, [countField]).fields[countField]) props.onStale();
        throw e;
      }
    },
    onDeleted: () => props.onDeleted(deleted.current),
    onClose: props.onClose,
    onRefused: props.onRefused,
  });
  const changed = deletion.said[countField];
  return (
    <div className="card stack fit" data-testid={props.testId}>
      <div>
        <button
          type="button"
          ref={deletion.button}
          data-testid={`${props.testId}-open`}
          aria-expanded={deletion.open}
          onClick={() => deletion.toggle()}
        >
          {words.open}
        </button>
      </div>
      {deletion.open && (
        <DeleteConfirmation
          name={props.name}
          question={words.question}
          detail={words.detail}
          warning={words.warning}
          confirm={words.confirm}
          reasons={words.reasons}
          refusedText={words.refusedText}
          fields={
            <>
              {deletion.reasonField}
              {changed && (
                <div
                  className="error"
                  role="alert"
                  data-testid={`${props.name}-delete-changed`}
                  title={changed}
                >
                  {words.changed}
                </div>
              )}
            </>
          }
          {...deletion.wiring}
        />
      )}
    </div>
  );
}

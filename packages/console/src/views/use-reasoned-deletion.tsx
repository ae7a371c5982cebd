import { type ReactNode, type RefObject, useRef, useState } from "react";
import { fieldProblems } from "../field-problems";
import { ReasonField, useReason } from "./cycle-form-parts";
import type { DeleteConfirmation } from "./delete-confirmation";

/** What a reasoned deletion hands its DeleteConfirmation, the page adding its own words. */
type Wiring = Pick<
  Parameters<typeof DeleteConfirmation>[0],
  "fieldPaths" | "ready" | "remove" | "onDeleted" | "onClose"
>;

/** A deletion asked with a reason, as its button and its question use it. */
export interface ReasonedDeletion {
  open: boolean;
  /** What the gateway's refusal of the last try says at each of `fieldPaths`. */
  said: Record<string, string | undefined>;
  /** The button that opens the question: the focus goes back to it when the question closes. */
  button: RefObject<HTMLButtonElement | null>;
  /** Its click: closes the question when open; opens it, unless `blocked`. */
  toggle: (blocked?: boolean) => void;
  /** The reason's box, for DeleteConfirmation's `fields`. */
  reasonField: ReactNode;
  wiring: Wiring;
}

/**
 * A deletion that keeps a reason for the audit log (a category's ballots, a filter's survey forms,
 * a scheme version's withdrawal), asked under its button with DeleteConfirmation. The reason given
 * is what `remove` gets; a refusal naming it stands beside its box, and one is cleared once the
 * reason is edited. Closing the question clears the reason and gives the focus back to the button;
 * `onClose(true)` after a refusal, so that the page reads again what it shows.
 */
export function useReasonedDeletion(options: {
  /** What the reason is kept with (useReason): the cycle, or the scheme version. */
  key: string;
  /** A reason must be given (else none is sent when the box is empty). */
  required?: boolean;
  /** Names the reason box's test ids (`${form}-reason` …). */
  form: string;
  /** The reason box's label. */
  label: string;
  /** What the page says at its boxes: "reason", and any other field it shows a refusal of. */
  fieldPaths: readonly string[];
  /** Deletes, with the reason given if any (what it answers is the caller's own). */
  remove: (reason: string | undefined) => Promise<unknown>;
  onDeleted: () => void;
  onClose: (refused: boolean) => void;
  /** Every change of the refusal, for a page that says it elsewhere too. */
  onRefused?: (refused: Error | null) => void;
}): ReasonedDeletion {
  const { fieldPaths } = options;
  const [open, setOpen] = useState(false);
  const [refused, setRefused] = useState<Error | null>(null);
  const reason = useReason(options.key, { required: options.required });
  const given = useRef<string | undefined>(undefined);
  const button = useRef<HTMLButtonElement>(null);
  const refusal = (error: Error | null) => {
    setRefused(error);
    options.onRefused?.(error);
  };
  const said = fieldProblems(refused, fieldPaths).fields;
  const close = (wasRefused: boolean) => {
    setOpen(false);
    reason.clear();
    refusal(null);
    button.current?.focus();
    options.onClose(wasRefused);
  };
  return {
    open,
    said,
    button,
    toggle: (blocked = false) => (open ? close(refused !== null) : blocked || setOpen(true)),
    reasonField: (
      <ReasonField
        form={options.form}
        label={options.label}
        problem={reason.problem ?? said.reason}
        value={reason.text}
        onChange={(text) => {
          reason.change(text);
          if (refused) refusal(null);
        }}
      />
    ),
    wiring: {
      fieldPaths,
      ready: () => {
        const taken = reason.take();
        given.current = taken?.value;
        return taken !== null;
      },
      remove: async () => {
        refusal(null);
        try {
          await options.remove(given.current);
        } catch (e) {
          refusal(e as Error);
          throw e;
        }
      },
      onDeleted: () => {
        setOpen(false);
        reason.clear();
        options.onDeleted();
      },
      onClose: close,
    },
  };
}

import { useRef, useState } from "react";
import { countVoterBallots, deleteBallots, type HeldCategory } from "../ballots-api";
import { fieldProblems } from "../field-problems";
import { type Translate, useI18n } from "../i18n";
import { useQuery } from "../use-query";
import { ReasonField, useReason } from "./cycle-form-parts";
import { DeleteConfirmation } from "./delete-confirmation";

/** What the confirmation says a refusal of itself: the reason, and the number changed meanwhile. */
const SAID_HERE = ["reason", "expectedBallots"] as const;

/** What is said of every voter's ballots of a category, and of one voter's: [many, one]. */
const WORDS = {
  all: {
    button: ["ballots.deleteAll", "ballots.deleteAllOne"],
    question: ["ballots.deleteAllQuestion", "ballots.deleteAllQuestionOne"],
    deleted: ["ballots.deletedAll", "ballots.deletedAllOne"],
    scope: "ballots.deleteAllScope",
    confirm: "ballots.deleteAllConfirm",
    refused: "ballots.deleteAllRefused",
  },
  voter: {
    button: ["ballots.deleteVoterAll", "ballots.deleteVoterAllOne"],
    question: ["ballots.deleteVoterAllQuestion", "ballots.deleteVoterAllQuestionOne"],
    deleted: ["ballots.deletedVoterAll", "ballots.deletedVoterAllOne"],
    scope: "ballots.deleteVoterAllScope",
    confirm: "ballots.deleteVoterAllConfirm",
    refused: "ballots.deleteVoterAllRefused",
  },
} as const;

const wordsOf = (which: Pick<BallotsToDelete, "voter">) => WORDS[which.voter === null ? "all" : "voter"];

/** What is deleted: every voter's ballots of a category, or one voter's. */
export interface BallotsToDelete {
  category: string;
  /** The category as the page names it. */
  categoryName: string;
  voter: string | null;
  /** How many there are. */
  count: number;
}

/** What the page says once `n` of them are deleted. */
export function deletedNote(which: Omit<BallotsToDelete, "count">, n: number, t: Translate): string {
  const keys = wordsOf(which).deleted;
  return t(n === 1 ? keys[1] : keys[0], { category: which.categoryName, voter: which.voter ?? "", n });
}

/**
 * A category's ballots, or one voter's in it, deleted at once with deleteBallots, asked first as
 * one ballot's delete is: a forced move's leftovers, or the ballots of a voter who should not have
 * voted, would take hundreds of deletes one by one. It takes every unit's, whatever unit the list
 * is narrowed to (`unit`), which the question says, and exactly the number it says: the gateway
 * refuses another number (a ballot written meanwhile), and the count is read again (`onStale`)
 * for the question to say the new one before it is confirmed again. The reason given goes to the
 * one audit entry that keeps them all; its refusal stands beside its box. Any refusal goes to
 * `onRefused` too, so that the page names the filter box it is at (the category or the voter:
 * none left).
 */
export function BallotsDeletion(props: {
  cycleId: string;
  which: BallotsToDelete;
  /** The unit the list is narrowed to, by its name; null when it is not. */
  unit: string | null;
  onDeleted: (deleted: number) => void;
  onRefused: (refused: Error | null) => void;
  /** The number stored is not the one asked about: read it again, the question staying open. */
  onStale: () => void;
  /** `refused`: the page is read again (the ballots may be gone, the cycle finalised). */
  onClose: (refused: boolean) => void;
}) {
  const { t } = useI18n();
  const { category, categoryName, voter, count } = props.which;
  const [open, setOpen] = useState(false);
  const [refused, setRefused] = useState<Error | null>(null);
  const reason = useReason(props.cycleId);
  const given = useRef<string | undefined>(undefined);
  const deleted = useRef(0);
  const button = useRef<HTMLButtonElement>(null);
  const refusal = (error: Error | null) => {
    setRefused(error);
    props.onRefused(error);
  };
  const words = wordsOf(props.which);
  const said = fieldProblems(refused, SAID_HERE).fields;
  const one = count === 1;
  const names = { category: categoryName, voter: voter ?? "", n: count };
  const close = (wasRefused: boolean) => {
    setOpen(false);
    reason.clear();
    refusal(null);
    button.current?.focus();
    props.onClose(wasRefused);
  };
  return (
    <div className="card stack fit" data-testid="ballots-delete-all">
      <div>
        <button
          type="button"
          ref={button}
          data-testid="ballots-delete-all-open"
          aria-expanded={open}
          onClick={() => (open ? close(refused !== null) : setOpen(true))}
        >
          {t(one ? words.button[1] : words.button[0], names)}
        </button>
      </div>
      {open && (
        <DeleteConfirmation
          name="ballots"
          question={t(one ? words.question[1] : words.question[0], names)}
          detail={[
            t(words.scope),
            ...(props.unit === null ? [] : [t("ballots.deleteAllUnit", { unit: props.unit })]),
          ].join(" ")}
          warning={t("ballots.deleteAllWarning")}
          confirm={t(words.confirm, names)}
          reasons={{
            gone: t("ballots.deleteAllRefused.gone"),
            finalised: t("ballots.deleteRefused.finalised"),
            forbidden: t("ballots.deleteRefused.forbidden"),
          }}
          refusedText={(said) => t(words.refused, { ...names, reason: said })}
          fields={
            <>
              <ReasonField
                form="ballots-delete"
                label={t("ballots.deleteAllReason")}
                problem={reason.problem ?? said.reason}
                value={reason.text}
                onChange={(text) => {
                  reason.change(text);
                  if (refused) refusal(null);
                }}
              />
              {said.expectedBallots && (
                <div
                  className="error"
                  role="alert"
                  data-testid="ballots-delete-changed"
                  title={said.expectedBallots}
                >
                  {t("ballots.deleteAllChanged")}
                </div>
              )}
            </>
          }
          fieldPaths={SAID_HERE}
          ready={() => {
            const taken = reason.take();
            given.current = taken?.value;
            return taken !== null;
          }}
          remove={async () => {
            refusal(null);
            try {
              const which = { category, voter, expected: count };
              deleted.current = await deleteBallots(props.cycleId, which, given.current);
            } catch (e) {
              refusal(e as Error);
              if (fieldProblems(e as Error, ["expectedBallots"]).fields.expectedBallots) props.onStale();
              throw e;
            }
          }}
          onDeleted={() => {
            setOpen(false);
            reason.clear();
            props.onDeleted(deleted.current);
          }}
          onClose={close}
        />
      )}
    </div>
  );
}

/**
 * How many ballots deleting the list's category, or its voter's there, takes: every unit's,
 * whatever unit the list is narrowed to, so not the list's own count. Read for an administrator
 * only (`cycleId` null otherwise), again at each `revision`; null until read.
 */
export function useCountToDelete(
  cycleId: string | null,
  filter: { category: string | null; voter: string | null },
  held: readonly HeldCategory[] | null,
  revision: number,
): number | null {
  const { category, voter } = filter;
  const voterCount = useQuery(
    cycleId && category && voter ? `${cycleId}\u0000${category}\u0000${voter}` : null,
    (signal) => countVoterBallots(cycleId!, category!, voter!, signal),
    revision,
  );
  if (!category) return null;
  if (voter) return voterCount.current;
  return held && (held.find((h) => h.category === category)?.ballots ?? 0);
}

import { countVoterBallots, deleteBallots, type HeldCategory } from "../ballots-api";
import { type Translate, useI18n } from "../i18n";
import { useQuery } from "../use-query";
import { CountedDeletion, type CountedDeletionEvents } from "./counted-deletion";

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
 * is narrowed to (`unit`), which the question says, and exactly the number it says
 * (CountedDeletion): a ballot written meanwhile is refused and counted again.
 */
export function BallotsDeletion(
  props: CountedDeletionEvents & {
    which: BallotsToDelete;
    /** The unit the list is narrowed to, by its name; null when it is not. */
    unit: string | null;
  },
) {
  const { t } = useI18n();
  const { which, unit, ...events } = props;
  const { category, categoryName, voter, count } = which;
  const words = wordsOf(which);
  const one = count === 1;
  const names = { category: categoryName, voter: voter ?? "", n: count };
  return (
    <CountedDeletion
      {...events}
      name="ballots"
      testId="ballots-delete-all"
      countField="expectedBallots"
      words={{
        open: t(one ? words.button[1] : words.button[0], names),
        question: t(one ? words.question[1] : words.question[0], names),
        detail: [t(words.scope), ...(unit === null ? [] : [t("ballots.deleteAllUnit", { unit })])].join(" "),
        warning: t("ballots.deleteAllWarning"),
        confirm: t(words.confirm, names),
        reasons: {
          gone: t("ballots.deleteAllRefused.gone"),
          finalised: t("ballots.deleteRefused.finalised"),
          forbidden: t("ballots.deleteRefused.forbidden"),
        },
        refusedText: (said) => t(words.refused, { ...names, reason: said }),
        reason: t("ballots.deleteAllReason"),
        changed: t("ballots.deleteAllChanged"),
      }}
      remove={(reason) => deleteBallots(props.cycleId, { category, voter, expected: count }, reason)}
    />
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

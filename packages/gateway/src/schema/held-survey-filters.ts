import type { Context } from "../context.js";
import { type Cycle, ValidationError } from "../store/index.js";
import { quoted } from "../store/no-such-ballots.js";
import { surveyFormsHeld } from "../store/survey-forms-held.js";
import { categoryFilter, declared, respondentGroupFilter } from "./scheme-filter.js";

type Reader = Pick<Context, "store" | "loaders">;

/** Values a refusal lists of those only the cycle's forms hold; the rest are "…". */
const LISTED = 20;

/** Byte order, as COLLATE "C" sorts: the same refusal in the same words. */
const inByteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

interface HeldFilter {
  /** The scheme filter, refusing a value the cycle's version does not declare. */
  filter: () => Promise<string | undefined>;
  /** The values the cycle's forms hold (a pass over them). */
  held: () => Promise<Map<string, number>>;
  /** The values the version declares, which the filter's refusal lists already. */
  known: () => Promise<ReadonlySet<string>>;
  /** How the refusal names what the forms hold besides: `the cycle's survey forms are also in`. */
  what: string;
}

/**
 * `filter`'s value, or, where it refuses one the cycle's scheme version does not declare, that
 * value when the cycle holds survey forms of it all the same: a forced move left them under a
 * category (or group) the version drops or renames, and `deleteSurveyForms` asks for their
 * `formCount`, which an "unknown category" answer kept from the admin. A value neither declared
 * nor held is refused as before, naming the values only the forms hold: the one meant may be
 * among them. Read only for a value the version does not declare.
 */
async function declaredOrHeld(value: string, f: HeldFilter): Promise<string> {
  try {
    return (await f.filter()) ?? value;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const held = await f.held();
    if (held.has(value)) return value;
    const known = await f.known();
    const only = [...held.keys()].filter((v) => !known.has(v)).sort(inByteOrder);
    if (only.length === 0) throw e;
    const listed = `${only.slice(0, LISTED).map(quoted).join(", ")}${only.length > LISTED ? ", …" : ""}`;
    throw new ValidationError(
      e.issues.map((issue) => ({
        ...issue,
        message: `${issue.message}; ${f.what} ${listed}, which the version does not declare`,
      })),
    );
  }
}

/** surveyTallies' `category`: one the version declares, or one the cycle holds forms in. */
export async function surveyCategoryFilter(
  ctx: Reader,
  cycle: Cycle,
  value: string | number | null | undefined,
): Promise<string | undefined> {
  if (value == null) return undefined;
  return declaredOrHeld(String(value), {
    filter: () => categoryFilter(ctx, cycle, value),
    held: () => surveyFormsHeld(ctx.store.db, cycle.id, "category"),
    known: async () => new Set((await declared(ctx, cycle, "categories")).map((c) => String(c.id))),
    what: "the cycle's survey forms are also in",
  });
}

/**
 * surveyTallies' `respondentGroup`: one a survey category of the version declares, or one the
 * cycle holds forms of (in `category`, when the filter names one).
 */
export async function surveyGroupFilter(
  ctx: Reader,
  cycle: Cycle,
  value: string | null | undefined,
  category: string | undefined,
): Promise<string | undefined> {
  if (value == null) return undefined;
  return declaredOrHeld(value, {
    filter: () => respondentGroupFilter(ctx, cycle, "respondentGroup", value),
    held: () => surveyFormsHeld(ctx.store.db, cycle.id, "respondent_group", { category }),
    known: async () => {
      const groups = (await declared(ctx, cycle, "categories")).flatMap((c) =>
        c.method?.kind === "survey" && Array.isArray(c.method.respondentGroups)
          ? c.method.respondentGroups
          : [],
      );
      return new Set(groups.map(String));
    },
    what:
      category === undefined ? "the cycle's survey forms are also of" : "its survey forms there are also of",
  });
}

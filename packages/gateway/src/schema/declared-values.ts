import { type CompiledScheme, closestField } from "@pingyi/engine";
import type { DeclaredValuesCheck, UndeclaredValue } from "../import/refused-value.js";
import type { ImportKind, Store } from "../store/index.js";
import { compiles } from "./engine-check.js";

/**
 * The scoring method whose records each kind's rows are, as the engine reads them: a score only
 * counts in a direct category, a ballot in a vote, a form in a survey.
 */
const METHOD: Partial<Record<ImportKind, string>> = {
  "survey-forms": "survey",
  scores: "direct",
  ballots: "vote",
};

/** Values listed in a reason; a scheme's longer lists end in "…". */
const LISTED = 20;

const listed = (values: readonly string[]) =>
  values.length > LISTED ? `${values.slice(0, LISTED).join(", ")}, …` : values.join(", ");

/** `; did you mean "satisfied"?` for a slip of the keyboard, as the engine suggests one. */
const meant = (value: string, known: readonly string[]) => {
  const m = closestField(value, known);
  return m === undefined ? "" : `; did you mean ${q(m)}?`;
};

/** Quoted as the engine quotes values: a value with quotes in it is shown as what it is. */
const q = (value: string) => JSON.stringify(value);

/** Refused values whose words are kept, so that each is found once however many rows hold it. */
const KEPT = 10_000;

interface Survey {
  groups: ReadonlySet<string>;
  groupList: string;
  options: ReadonlySet<string>;
  optionList: string;
}

/** What a survey category declares of its forms, from its method's parameters. */
function surveyOf(method: unknown): Survey {
  const m = method as { respondentGroups?: readonly string[]; options?: Readonly<Record<string, unknown>> };
  const groups = [...(m.respondentGroups ?? [])];
  const options = Object.keys(m.options ?? {});
  return {
    groups: new Set(groups),
    groupList: listed(groups),
    options: new Set(options),
    optionList: listed(options),
  };
}

/**
 * The check of a kind's rows against the values the compiled scheme declares: the category (a
 * category of the method that reads the kind's records) and, for a survey form, its respondent
 * group and answer. The engine checks the same when the import commits; checked here row by row,
 * a value it refuses is said at the file's lines, once for all the rows that hold it, rather than
 * once per tally, with no line, as the engine reads forms. Undefined for the other kinds, whose
 * refusals the engine places at their lines itself (`recordIssues`).
 */
export function declaredValuesCheck(
  compiled: CompiledScheme,
  kind: ImportKind,
): DeclaredValuesCheck | undefined {
  const method = METHOD[kind];
  if (method === undefined) return undefined;
  const categories = compiled.scheme.categories;
  const methodOf = new Map(categories.map((c) => [c.id, c.method.kind as string]));
  const ids = categories.map((c) => c.id);
  const theirs = categories.filter((c) => c.method.kind === method).map((c) => c.id);
  const those = theirs.length
    ? `the scheme's ${method} categories are ${listed(theirs)}`
    : `the scheme has no ${method} category`;
  const surveys = new Map(
    categories.filter((c) => c.method.kind === "survey").map((c) => [c.id, surveyOf(c.method)]),
  );

  const categoryProblem = (category: string): UndeclaredValue => {
    const actual = methodOf.get(category);
    const reason =
      actual === undefined
        ? `not a category of the scheme; ${those}${meant(category, ids)}`
        : `a ${actual} category, not a ${method} one; ${those}`;
    return { column: "category", subject: `category ${q(category)}`, reason };
  };
  const groupProblem = (category: string, survey: Survey, group: string): UndeclaredValue => ({
    column: "respondent_group",
    subject: `respondent group ${q(group)}`,
    reason: `not a respondent group of category ${q(category)}; its groups are ${survey.groupList}${meant(group, [...survey.groups])}`,
  });
  const answerProblem = (category: string, survey: Survey, answer: string): UndeclaredValue => ({
    column: "answer",
    subject: `answer ${q(answer)}`,
    reason: `not an option of category ${q(category)}; its options are ${survey.optionList}${meant(answer, [...survey.options])}`,
  });

  // A refused value is usually a whole column's (满意 on 3,911 rows): its words are found once.
  const kept = new Map<string, UndeclaredValue>();
  const once = (key: string, make: () => UndeclaredValue): UndeclaredValue => {
    let problem = kept.get(key);
    if (problem === undefined) {
      problem = make();
      if (kept.size < KEPT) kept.set(key, problem);
    }
    return problem;
  };

  return (row) => {
    const category = row.category;
    if (category === null || category === undefined) return undefined;
    if (methodOf.get(category) !== method)
      return [once(`c\u0000${category}`, () => categoryProblem(category))];
    if (kind !== "survey-forms") return undefined;
    const survey = surveys.get(category)!;
    const { respondent_group: group, answer } = row;
    const badGroup = group != null && !survey.groups.has(group) ? group : undefined;
    const badAnswer = answer != null && !survey.options.has(answer) ? answer : undefined;
    if (badGroup === undefined && badAnswer === undefined) return undefined;
    const problems: UndeclaredValue[] = [];
    if (badGroup !== undefined)
      problems.push(
        once(`g\u0000${category}\u0000${badGroup}`, () => groupProblem(category, survey, badGroup)),
      );
    if (badAnswer !== undefined)
      problems.push(
        once(`a\u0000${category}\u0000${badAnswer}`, () => answerProblem(category, survey, badAnswer)),
      );
    return problems;
  };
}

/**
 * `importFile`'s `declaredValues` for a cycle: the check under the scheme version the cycle has
 * inside the import's transaction, which holds the cycle's row, so the version the import commits
 * under even when setCycleScheme moved the cycle while the request was on its way. The engine's
 * check (`importEngineCheck`) still decides at the commit.
 */
export function importDeclaredValues(
  cycleId: string,
): (tx: Store, kind: ImportKind) => Promise<DeclaredValuesCheck | undefined> {
  return async (tx, kind) => {
    if (METHOD[kind] === undefined) return undefined;
    const cycle = await tx.cycles.get(cycleId);
    const compiled = compiles((await tx.schemes.get(cycle.schemeId, cycle.schemeVersion)).document);
    return compiled ? declaredValuesCheck(compiled, kind) : undefined;
  };
}

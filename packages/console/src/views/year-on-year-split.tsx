import type { SideGradeName } from "../grade-names";
import { useI18n } from "../i18n";
import { rulePathWords } from "../rule-path-words";
import type { SchemeChange } from "../rules-api";
import type { SchemeDocument, WhatIfResult, WhatIfSource } from "../whatif-api";
import { keptRules } from "../year-on-year-split";
import { MoveReasons, type NamedUnit, PartChanges, StandingMove, unitNames } from "./why-moved";

/**
 * What the middle could not take back to the base cycle's rules, in plain words: its change is
 * counted in the records' half, with the change in the records (docs/what-if.md, "What lands in
 * which half"); a change of a name alone scores nothing, and is said so. Nothing where everything
 * was taken back. `schemes` name what the changes touch, the first that has an entry naming it:
 * the compared cycle's, then the base cycle's (an entry only it has, such as a group dissolved).
 */
export function KeptNote(props: {
  changes: readonly SchemeChange[];
  schemes: readonly SchemeDocument[];
  before: string;
}) {
  const { t } = useI18n();
  const kept = keptRules(props.changes);
  const name = (id: string) =>
    props.schemes.flatMap((s) => s.categories).find((c) => c.id === id)?.name ?? id;
  // Each line's words, and whether every change it says is a name alone. Two changes may read
  // alike (the fallback grade's id and name; two categories of one name): said once.
  const lines = new Map<string, boolean>();
  const add = (what: string, nameOnly: boolean) => lines.set(what, (lines.get(what) ?? true) && nameOnly);
  for (const { id, aspects } of kept.categories)
    for (const aspect of aspects)
      add(
        aspect === "method"
          ? t("yoy.split.keptMethod", { category: name(id) })
          : aspect === ""
            ? t("yoy.split.keptCategory", { category: name(id) })
            : t("yoy.split.keptPart", { category: name(id), part: aspect }),
        false,
      );
  // In words where the path is one a reader knows; the path itself, not nothing, where it is not.
  for (const path of kept.others)
    add(
      rulePathWords(path, props.schemes, t) ?? t("yoy.split.keptRule", { rule: path }),
      path.endsWith(".name"),
    );
  if (lines.size === 0) return null;
  return (
    <div className="notice" data-testid="yoy-kept">
      {[...lines].map(([what, nameOnly]) => (
        <p key={what}>
          {t(nameOnly ? "yoy.split.keptName" : "yoy.split.kept", { what, cycle: props.before })}
        </p>
      ))}
    </div>
  );
}

/**
 * One half of the selected unit's change (`half` names it): its change by part and why its rank
 * or grade moved, as that half's comparison gives them. Reasons are asked only where the half
 * moved the unit's standing, as WhyMoved asks them.
 */
export function HalfWhy(props: {
  half: "data" | "rules";
  title: string;
  source: WhatIfSource;
  result: WhatIfResult;
  unitId: string;
  scheme: SchemeDocument;
  grade: SideGradeName;
  /** The units only one cycle holds, which the half's reasons may name (the half has no row of them). */
  alsoNamed: readonly NamedUnit[];
}) {
  const u = props.result.units.find((x) => x.unitId === props.unitId);
  if (!u) return null;
  return (
    <div className="card" data-testid={`why-${props.half}`}>
      <h3>{props.title}</h3>
      <StandingMove u={u} grade={props.grade} />
      <PartChanges u={u} scheme={props.scheme} />
      <MoveReasons source={props.source} u={u} names={unitNames(props.result.units, props.alsoNamed)} />
    </div>
  );
}

import { padDecimals, placesOf } from "../format";
import type { SideGradeName } from "../grade-names";
import { type TranslationKey, useI18n } from "../i18n";
import { useQuery } from "../use-query";
import {
  type Eligibility,
  loadEligibility,
  loadMoveReasons,
  loadRollupParts,
  loadSwaps,
  type MoveReason,
  type ScenarioDocument,
  type SchemeDocument,
  type WhatIfResult,
  type WhatIfSource,
  type WhatIfUnit,
} from "../whatif-api";
import { ErrorNote, failedRead } from "./cycle-picker";
import { RollupSplit } from "./rollup-split";

/** The two sides of a what-if, as a reader knows them. */
export interface SideNames {
  baseline: string;
  scenario: string;
}

const ADJUSTMENT_PARTS = new Set(["bonus", "total-deductions", "total-rounding-and-floor"]);

/** Why a unit moved: its total change split by category, and whom it overtook or fell behind. */
export function WhyMoved(props: {
  /** The what-if the rows are of: each panel read asks it of the selected unit. */
  source: WhatIfSource;
  /** Whether a roll-up may split a part (hasRollups): without one there is nothing to ask. */
  mayRollUp: boolean;
  result: WhatIfResult;
  unitId: string | null;
  scheme: SchemeDocument;
  grade: SideGradeName;
  /** What the two sides are called, where they are not the baseline and a scenario (two cycles). */
  sides?: SideNames;
  /** Units the result has no row of that its reasons may name: those only one cycle holds. */
  alsoNamed?: readonly NamedUnit[];
}) {
  const { t } = useI18n();
  const { result, unitId, scheme } = props;
  const u = result.units.find((x) => x.unitId === unitId);
  const { source } = props;
  const swapKey = u ? JSON.stringify([source.key, u.unitId]) : null;
  const swapQuery = useQuery(swapKey, (s) => loadSwaps(source, u!.unitId, s));
  // Reasons cost the gateway a full evaluation of the scenario: asked for only where a side holds
  // the unit back (a veto, last place, no total).
  const heldBack =
    u &&
    !(
      u.baseline.eligibleForExcellence &&
      u.baseline.eligibleForAward &&
      u.scenario.eligibleForExcellence &&
      u.scenario.eligibleForAward
    );
  const eligibilityQuery = useQuery(heldBack ? swapKey : null, (s) => loadEligibility(source, u!.unitId, s));
  const rollupsQuery = useQuery(props.mayRollUp ? swapKey : null, (s) =>
    loadRollupParts(source, u!.unitId, s),
  );
  if (!u) return <p className="muted">{t("whatif.pickUnit")}</p>;
  const names = unitNames(result.units, props.alsoNamed);
  // The previous unit's (or scenario's) swaps stay in `data` while this one's load: not this unit's.
  const swaps = swapQuery.current ?? [];
  return (
    <div className="card" data-testid="why">
      <h2 className="section">{t("whatif.why", { unit: u.name })}</h2>
      <StandingMove u={u} grade={props.grade} />
      <PartChanges u={u} scheme={scheme} />
      {/* Without it a failed read reads as "none of it came from its sub-units". */}
      <ErrorNote {...failedRead(rollupsQuery)} />
      {rollupsQuery.current && (
        <RollupSplit
          parts={rollupsQuery.current}
          places={placesOf(u.scenario.total ?? u.baseline.total)}
          {...(props.sides ? { sides: props.sides } : {})}
        />
      )}
      <MoveReasons source={source} u={u} names={names} />
      <ErrorNote {...failedRead(eligibilityQuery)} />
      {eligibilityQuery.current && (
        <EligibilityNote
          eligibility={eligibilityQuery.current}
          {...(props.sides ? { sides: props.sides } : {})}
        />
      )}
      {/* Without it a failed list reads as "nobody was overtaken". */}
      <ErrorNote {...failedRead(swapQuery)} />
      {swaps.length > 0 && (
        <>
          <h3>{t("whatif.swaps")}</h3>
          <ul data-testid="swaps">
            {swaps.map((s) => (
              <li
                key={`${s.overtakerId}>${s.overtakenId}`}
                className={s.overtakerId === u.unitId ? "up" : "down"}
              >
                {t("whatif.overtook", {
                  a: names.get(s.overtakerId) ?? s.overtakerId,
                  b: names.get(s.overtakenId) ?? s.overtakenId,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** A unit's rank, total and grade on both sides. */
export function StandingMove({ u, grade }: { u: WhatIfUnit; grade: SideGradeName }) {
  const { t } = useI18n();
  return (
    <p>
      {t("rank")} {u.baseline.rank ?? "—"} → {u.scenario.rank ?? "—"} · {t("total")} {u.baseline.total ?? "—"}{" "}
      → {u.scenario.total ?? "—"} · {grade(u.baseline.grade, "baseline")} →{" "}
      {grade(u.scenario.grade, "scenario")}
    </p>
  );
}

/** A unit's total change split by part (category or adjustment), each with a bar, exact values padded to the totals' places. */
export function PartChanges({ u, scheme }: { u: WhatIfUnit; scheme: SchemeDocument }) {
  const { t } = useI18n();
  const categoryName = new Map(scheme.categories.map((c) => [c.id, c.name]));
  // Adjustment parts are the engine's own words ("bonus", "total-deductions", …), and a category
  // may have the same id as one of them.
  const partName = (p: WhatIfUnit["parts"][number]) =>
    p.kind === "ADJUSTMENT"
      ? ADJUSTMENT_PARTS.has(p.part)
        ? t(`whatif.part.${p.part}` as TranslationKey)
        : p.part
      : (categoryName.get(p.part) ?? p.part);
  const parts = u.parts.filter((p) => Number(approx(p.delta)) !== 0);
  const scale = Math.max(0.01, ...parts.map((p) => Math.abs(approx(p.delta))));
  return (
    <table>
      <thead>
        <tr>
          <th>{t("whatif.part")}</th>
          <th className="num">{t("whatif.delta")}</th>
          <th style={{ width: "40%" }} />
        </tr>
      </thead>
      <tbody>
        {parts.map((p) => {
          const v = approx(p.delta);
          const w = `${(Math.abs(v) / scale) * 50}%`;
          return (
            <tr key={`${p.kind}:${p.part}`}>
              <td>{partName(p)}</td>
              <td className={`num ${v < 0 ? "down" : "up"}`}>
                {padDecimals(p.delta, placesOf(u.scenario.total))}
              </td>
              <td>
                <div className="bar-track">
                  <div
                    className={`bar ${v < 0 ? "neg" : "pos"}`}
                    style={v < 0 ? { right: "50%", width: w } : { left: "50%", width: w }}
                  />
                </div>
              </td>
            </tr>
          );
        })}
        <tr className="total">
          <td>{t("total")}</td>
          <td className="num">
            {u.totalDelta ? padDecimals(u.totalDelta, placesOf(u.scenario.total)) : "—"}
          </td>
          <td />
        </tr>
      </tbody>
    </table>
  );
}

/** Whether a unit's grade, rank or ranked count differs: the gateway has move reasons only then. */
export function standingMoved(u: Pick<WhatIfUnit, "baseline" | "scenario">): boolean {
  return (
    u.baseline.grade !== u.scenario.grade ||
    u.baseline.rank !== u.scenario.rank ||
    u.baseline.rankedInGroup !== u.scenario.rankedInGroup
  );
}

/**
 * Why `u`'s grade or rank moved, as `source` gives it: asked only where its standing moved (none
 * to ask else), the whole what-if's or a half's of a year-on-year split alike.
 */
export function MoveReasons(props: {
  source: WhatIfSource;
  u: WhatIfUnit;
  names: ReadonlyMap<string, string>;
}) {
  const { source, u } = props;
  const reasons = useQuery(standingMoved(u) ? JSON.stringify([source.key, u.unitId]) : null, (s) =>
    loadMoveReasons(source, u.unitId, s),
  );
  return (
    <>
      {/* Without it a failed read reads as "nothing but its total moved it". */}
      <ErrorNote {...failedRead(reasons)} />
      {reasons.current && reasons.current.length > 0 && (
        <MoveReasonList reasons={reasons.current} names={props.names} />
      )}
    </>
  );
}

/** A unit as a reason may name it. */
export interface NamedUnit {
  unitId: string;
  name: string;
}

/** Each unit's name by its id: the rows' and the units they have no row of (`also`). */
export function unitNames(
  rows: readonly NamedUnit[],
  also: readonly NamedUnit[] = [],
): ReadonlyMap<string, string> {
  return new Map([...also, ...rows].map((x) => [x.unitId, x.name]));
}

/**
 * Why a grade or rank moved beyond the unit's own total (a quota that shrank, units above it
 * that lost their totals): the engine's sentences, which name units by id, and those units' names
 * where the what-if's rows hold them.
 */
export function MoveReasonList({
  reasons,
  names,
}: {
  reasons: MoveReason[];
  names: ReadonlyMap<string, string>;
}) {
  const { t } = useI18n();
  const named = (id: string) => {
    const name = names.get(id);
    return name === undefined ? id : `${id} ${name}`;
  };
  return (
    <div data-testid="why-reasons">
      <h3>{t("whatif.moveReasons")}</h3>
      <ul>
        {reasons.map((r) => (
          <li key={`${r.kind}:${r.text}`}>
            {r.text}
            {r.unitIds.length > 0 && (
              <span className="muted">
                {" "}
                (
                {t("whatif.moveReasonUnits", {
                  units: r.unitIds.map(named).join(t("whatif.moveReasonUnitsSeparator")),
                })}
                )
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Why the unit is held back in the scenario (a veto with its record, last place, no total), and
 * what it was on the baseline when that differs: the grade beside a rank can then be read.
 */
export function EligibilityNote({
  eligibility,
  sides,
}: {
  eligibility: { baseline: Eligibility; scenario: Eligibility };
  sides?: SideNames;
}) {
  const { t } = useI18n();
  const names = sides ?? { baseline: t("whatif.baseline"), scenario: t("whatif.scenario") };
  const side = (e: Eligibility) =>
    `${t("eligibleExcellence")}: ${e.excellence ? t("yes") : t("no")} · ${t("eligibleAward")}: ${e.award ? t("yes") : t("no")}`;
  const reasons = (e: Eligibility) => e.reasons.map((r) => r.text);
  const { baseline, scenario } = eligibility;
  const same =
    side(baseline) === side(scenario) && reasons(baseline).join("\n") === reasons(scenario).join("\n");
  return (
    <div data-testid="why-eligibility">
      <h3>{t("eligibility")}</h3>
      <p>
        {names.scenario}: {side(scenario)}
      </p>
      {scenario.reasons.length > 0 && (
        <ul>
          {scenario.reasons.map((r) => (
            <li
              key={`${r.kind}:${r.record ?? ""}:${r.text}`}
              className={r.kind === "veto" ? "down" : undefined}
            >
              {r.text}
            </li>
          ))}
        </ul>
      )}
      {!same && (
        <p className="muted">
          {names.baseline}: {side(baseline)}
          {baseline.reasons.length > 0 && ` — ${reasons(baseline).join("; ")}`}
        </p>
      )}
    </div>
  );
}

/** Whether a roll-up may split one of a unit's parts: the scheme has one, or the scenario patches one. */
export function hasRollups(scheme: SchemeDocument, scenario: ScenarioDocument): boolean {
  return (scheme.rollups?.length ?? 0) > 0 || scenario.patch?.rollups !== undefined;
}

/** An exact value ("-8.98" or "703800/15233") as a float, for drawing bars only. */
function approx(exact: string): number {
  const [n, d] = exact.split("/");
  return d === undefined ? Number(n) : Number(n) / Number(d);
}

import type { Translate, TranslationKey } from "./i18n";
import { isObject } from "./json-object";
import { type Knobs, quotaRule } from "./knobs";
import { ROLLUP_KNOB_FIELDS } from "./rollup-knobs";
import type { ScenarioDocument, SchemeDocument } from "./whatif-api";

/** The patch and data keys an analyst knows by name; any other is named by its path. */
const PATCH_KEYS: Record<string, TranslationKey> = {
  findingTypes: "whatif.hidden.findingTypes",
  bonusTypes: "whatif.hidden.bonusTypes",
  vetoTypes: "whatif.hidden.vetoTypes",
  grades: "whatif.hidden.grades",
  groups: "whatif.hidden.groups",
  ranking: "whatif.hidden.ranking",
  bonusCap: "whatif.hidden.bonusCap",
};
const DATA_KEYS: Record<string, TranslationKey> = {
  findings: "whatif.hidden.findings",
  vetoEvents: "whatif.hidden.vetoEvents",
  units: "whatif.hidden.units",
  scores: "whatif.hidden.scores",
};

const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);

/**
 * What a scenario changes that the what-if knobs (category points, the quota with its rounding and
 * ties, rounding decimals and mode, each roll-up's share, aggregation and missingSubUnit) do not
 * show — a saved scenario's data overrides, methods, vetoes, a roll-up's parents — each named
 * once, in the reader's words: the page runs them, and says so, so that no result is read as the
 * knobs' alone.
 */
export function hiddenParts(
  doc: ScenarioDocument,
  knobs: Knobs,
  scheme: SchemeDocument,
  t: Translate,
): string[] {
  const parts = new Set<string>();
  const categoryName = (id: string) => scheme.categories.find((c) => c.id === id)?.name;
  for (const [key, value] of entries(doc.patch)) {
    if (key === "categories") {
      for (const [id, change] of entries(value)) {
        const name = categoryName(id);
        // A category the scheme does not have, or no object of changes: named by its path.
        if (name === undefined || !isObject(change)) parts.add(`patch.categories.${id}`);
        else
          for (const field of Object.keys(change))
            if (field === "method") parts.add(t("whatif.hidden.method", { category: name }));
            else if (field === "name") parts.add(t("whatif.hidden.categoryName", { category: name }));
            else if (field !== "points") parts.add(`patch.categories.${id}.${field}`);
      }
    } else if (key === "rounding") {
      for (const [field] of entries(value))
        if (field !== "decimals" && field !== "mode")
          parts.add(field === "stages" ? t("whatif.hidden.stages") : `patch.rounding.${field}`);
    } else if (key === "grades") {
      if (gradesBeyondQuota(value, knobs, scheme)) parts.add(t("whatif.hidden.grades"));
    } else if (key === "rollups") {
      for (const part of rollupsBeyondKnobs(value, knobs, t)) parts.add(part);
    } else {
      const label = PATCH_KEYS[key];
      parts.add(label ? t(label) : `patch.${key}`);
    }
  }
  for (const [key, value] of entries(doc.data)) {
    // An override of nothing (`findings: {}`) changes nothing.
    if (isObject(value) && Object.keys(value).length === 0) continue;
    const label = DATA_KEYS[key];
    parts.add(label ? t(label) : `data.${key}`);
  }
  return [...parts];
}

/** A roll-up patch's fields its knob shows. */
const SHOWN_ROLLUP_FIELDS: ReadonlySet<string> = new Set(ROLLUP_KNOB_FIELDS);

/**
 * What a patch of the roll-ups says that their knobs do not show: a roll-up whose patch the knob
 * cannot show, whole; else its `parents`, and any other field by its path.
 */
function rollupsBeyondKnobs(rollups: unknown, knobs: Knobs, t: Translate): string[] {
  if (!isObject(rollups)) return ["patch.rollups"];
  const parts: string[] = [];
  for (const [id, change] of Object.entries(rollups)) {
    const knob = knobs.rollups?.[id];
    // A roll-up the scheme does not have, or no object of changes: named by its path.
    if (knob === undefined || !isObject(change)) parts.push(`patch.rollups.${id}`);
    else if (knob === null) parts.push(t("whatif.hidden.rollup", { rollup: id }));
    else
      for (const field of Object.keys(change))
        if (field === "parents") parts.push(t("whatif.hidden.rollupParents", { rollup: id }));
        else if (!SHOWN_ROLLUP_FIELDS.has(field)) parts.push(`patch.rollups.${id}.${field}`);
  }
  return parts;
}

/** Whether a patch of the grades says more than the quota knob shows. */
function gradesBeyondQuota(grades: unknown, knobs: Knobs, scheme: SchemeDocument): boolean {
  const rule = quotaRule(scheme);
  for (const [key, rules] of entries(grades)) {
    if (key !== "rules" || !isObject(rules)) return true;
    for (const [id, change] of Object.entries(rules)) {
      if (!rule || id !== rule.id || knobs.quota === null || !isObject(change)) return true;
      for (const [field, quota] of Object.entries(change)) {
        if (field !== "quota" || !isObject(quota)) return true;
        for (const [k, v] of Object.entries(quota))
          if (k !== rule.unit && k !== "rounding" && k !== "ties" && !(k === "scope" && v === rule.scope))
            return true;
      }
    }
  }
  return false;
}

import type { Translate } from "./i18n";
import type { SchemeDocument } from "./whatif-api";

const ENTRY = /^(groups|grades\.rules|rollups)\[id=([^\]]+)\]$/;
const TIE_BREAKER = /^ranking\.tieBreakers\[(\d+)\](?:\.category)?$/;
const ROLLUP_END = /^rollups\[id=(.+)\]\.(source|into)$/;

/**
 * A scheme change's path outside its categories (`groups[ids]`, `ranking.tieBreakers[0]`) in a
 * reader's words, each entry as `scheme` names it (its id where it names none); null for a path
 * these words do not know, which the caller shows as it is. The gateway's paths, as the engine's
 * schemeChanges writes them: `[ids]` is the order of a list, `[id=…]` one entry, `[n]` a place.
 */
export function rulePathWords(path: string, scheme: SchemeDocument, t: Translate): string | null {
  if (path === "groups[ids]") return t("rulePath.groupOrder");
  if (path === "grades.rules[ids]") return t("rulePath.gradeOrder");
  if (path === "grades.fallback" || path.startsWith("grades.fallback.")) return t("rulePath.fallbackGrade");
  if (path === "ranking.tieBreakers") return t("rulePath.tieBreakers");
  const tie = TIE_BREAKER.exec(path);
  // The scheme's place is from 0; a reader counts from the first.
  if (tie) return t("rulePath.tieBreaker", { n: Number(tie[1]) + 1 });
  const end = ROLLUP_END.exec(path);
  if (end)
    return t(end[2] === "source" ? "rulePath.rollupSource" : "rulePath.rollupInto", { rollup: end[1]! });
  const entry = ENTRY.exec(path);
  if (!entry) return null;
  const [, list, id] = entry as unknown as [string, string, string];
  if (list === "groups")
    return t("rulePath.group", { group: scheme.groups.find((g) => g.id === id)?.name ?? id });
  if (list === "rollups") return t("rulePath.rollup", { rollup: id });
  const grades = [
    ...(scheme.grades?.rules ?? []),
    ...(scheme.grades?.fallback ? [scheme.grades.fallback] : []),
  ];
  return t("rulePath.grade", { grade: grades.find((g) => g.id === id)?.name ?? id });
}

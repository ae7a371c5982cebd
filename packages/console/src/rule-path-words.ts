import type { Translate } from "./i18n";
import type { SchemeDocument } from "./whatif-api";

const ENTRY = /^(groups|grades\.rules|rollups|findingTypes|bonusTypes|vetoTypes)\[id=([^\]]+)\]$/;
const TIE_BREAKER = /^ranking\.tieBreakers\[(\d+)\](?:\.category)?$/;
// The engine writes a roll-up end's own field (`.source.total`, `.into.category`), not the end whole.
const ROLLUP_END = /^rollups\[id=([^\]]+)\]\.(source|into)(\..*)?$/;
// The parts of a type a patch cannot take across: its name, and a level added or removed.
const TYPE_PART = /^(findingTypes|bonusTypes|vetoTypes)\[id=([^\]]+)\]\.(?:name|levels\.([^.[\]]+))$/;

type Named = { id: string; name: string };
type TypeList = "findingTypes" | "bonusTypes" | "vetoTypes";

const TYPE_KIND = {
  findingTypes: "rulePath.kind.findingType",
  bonusTypes: "rulePath.kind.bonusType",
  vetoTypes: "rulePath.kind.vetoType",
} as const;

/**
 * A scheme change's path outside its categories (`groups[ids]`, `ranking.tieBreakers[0]`) in a
 * reader's words, each entry as the first of `schemes` that has it names it (its id where none
 * does): a change between two years' schemes may be of an entry only one of them has. Null for a
 * path these words do not know, which the caller shows as it is. The gateway's paths, as the
 * engine's schemeChanges writes them: `[ids]` is the order of a list, `[id=…]` one entry, `[n]` a place.
 */
export function rulePathWords(path: string, schemes: readonly SchemeDocument[], t: Translate): string | null {
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
  const part = TYPE_PART.exec(path);
  if (part) {
    const [, list, id, level] = part as unknown as [string, TypeList, string, string | undefined];
    const type = { kind: t(TYPE_KIND[list]), type: nameIn(schemes, (s) => s[list], id) };
    return level === undefined ? t("rulePath.typeName", type) : t("rulePath.typeLevel", { ...type, level });
  }
  const entry = ENTRY.exec(path);
  if (!entry) return null;
  const [, list, id] = entry as unknown as [string, string, string];
  if (list === "groups") return t("rulePath.group", { group: nameIn(schemes, (s) => s.groups, id) });
  if (list === "rollups") return t("rulePath.rollup", { rollup: id });
  if (list === "grades.rules")
    return t("rulePath.grade", {
      grade: nameIn(
        schemes,
        (s) => [...(s.grades?.rules ?? []), ...(s.grades?.fallback ? [s.grades.fallback] : [])],
        id,
      ),
    });
  const types = list as TypeList;
  return t("rulePath.type", { kind: t(TYPE_KIND[types]), type: nameIn(schemes, (s) => s[types], id) });
}

/** The name the first scheme holding entry `id` in `list` gives it; the id where none holds it. */
function nameIn(
  schemes: readonly SchemeDocument[],
  list: (s: SchemeDocument) => readonly Named[] | undefined,
  id: string,
): string {
  for (const s of schemes) {
    const found = list(s)?.find((e) => e.id === id);
    if (found) return found.name;
  }
  return id;
}

import type { Evaluation } from "@pingyi/engine";

/** Terminal columns a string takes: CJK characters are two wide, so names line up. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return width;
}

const pad = (text: string, width: number, right = false) => {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
};

/**
 * One table per group: rank, unit, each category's points, total, grade, and why a unit lost
 * eligibility or has no total. Scores are printed as the engine publishes them (decimal
 * strings), never re-formatted through floating point.
 */
export function rankingTable(evaluation: Evaluation, onlyGroup?: string): string {
  const out: string[] = [
    `${evaluation.scheme.name} (${evaluation.scheme.id} v${evaluation.scheme.version}), max ${evaluation.maxTotal}`,
  ];
  for (const group of evaluation.groups) {
    if (onlyGroup && group.id !== onlyGroup) continue;
    const units = evaluation.units.filter((u) => u.group === group.id);
    const categories = units[0]?.categories.map((c) => `${c.category}/${Number(c.maxPoints)}`) ?? [];
    const rows = units.map((u) => [
      u.rank === null ? "-" : String(u.rank),
      u.name,
      ...u.categories.map((c) => c.points ?? "n/a"),
      u.total ?? "n/a",
      u.grade?.name ?? "",
      u.eligibility.reasons.map((r) => r.text).join("; "),
    ]);
    const header = ["rank", "unit", ...categories, "total", "grade", "notes"];
    const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
    // Numbers right-aligned; names and notes left.
    const numeric = (i: number) => i === 0 || (i >= 2 && i < header.length - 2);
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!, numeric(i))))
        .join("  ")
        .trimEnd();
    out.push(
      "",
      `${group.name}: ${group.rankedUnits} of ${group.units} units ranked`,
      line(header),
      ...rows.map(line),
    );
  }
  return out.join("\n");
}

/**
 * Writes a generated year to files: scheme.json and dataset.json for the engine (and the
 * embed-engine example), units.csv, and one CSV per gateway import kind with the documented
 * headers (docs/administrators.md). Everything is written in chunks: a province's two million
 * forms would not fit in one JavaScript string.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { countSurveyForms, type Dataset, type SchemeInput, toSurveyTallies } from "@pingyi/engine";

export interface WriteOptions {
  /** Replace surveyForms in dataset.json by their tallies (one row per unit × group × answer). */
  tallies?: boolean;
}

/** Buffers writes into ~1 MB chunks. */
class ChunkedFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }
  write(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    writeSync(this.fd, this.buffer.join(""));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function writeJsonArrays(path: string, record: Record<string, readonly unknown[]>): void {
  const out = new ChunkedFile(path);
  out.write("{");
  Object.entries(record).forEach(([key, rows], k) => {
    out.write(`${k ? "," : ""}\n${JSON.stringify(key)}: [`);
    for (let i = 0; i < rows.length; i++) out.write(`${i ? "," : ""}\n  ${JSON.stringify(rows[i])}`);
    out.write("\n]");
  });
  out.write("\n}\n");
  out.close();
}

const cell = (v: unknown) => {
  const s = v === undefined || v === null ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function writeCsv<T>(
  path: string,
  columns: readonly string[],
  rows: readonly T[],
  values: (row: T) => unknown[],
): void {
  const out = new ChunkedFile(path);
  out.write(`${columns.join(",")}\n`);
  for (const row of rows) out.write(`${values(row).map(cell).join(",")}\n`);
  out.close();
}

/** Survey categories and their declared groups and answers, for counting forms into tallies. */
function surveyCategories(scheme: SchemeInput) {
  return scheme.categories.flatMap((c) =>
    c.method.kind === "survey"
      ? [{ id: c.id, groups: [...c.method.respondentGroups], options: Object.keys(c.method.options) }]
      : [],
  );
}

/** Writes the files; returns their names and row counts. */
export function writeProvince(
  year: { scheme: SchemeInput; dataset: Dataset },
  dir: string,
  options: WriteOptions = {},
): Record<string, number> {
  const { scheme, dataset: d } = year;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "scheme.json"), `${JSON.stringify(scheme, null, 2)}\n`);

  const { surveyForms = [], ...rest } = d;
  const units = d.units.map((u) => u.id);
  const tallies = options.tallies
    ? surveyCategories(scheme).flatMap((c) =>
        toSurveyTallies(
          countSurveyForms({
            category: c.id,
            units,
            groups: c.groups,
            options: c.options,
            forms: surveyForms,
          }),
          c.id,
        ),
      )
    : undefined;
  const json: Record<string, readonly unknown[]> = {};
  for (const [key, rows] of Object.entries(rest)) if (Array.isArray(rows)) json[key] = rows;
  if (tallies) json.surveyTallies = [...(d.surveyTallies ?? []), ...tallies];
  else json.surveyForms = surveyForms;
  writeJsonArrays(join(dir, "dataset.json"), json);

  const scores = d.scores ?? [];
  const ballots = d.ballots ?? [];
  const findings = d.findings ?? [];
  const vetoes = d.vetoEvents ?? [];
  const bonuses = d.bonusEvents ?? [];
  writeCsv(join(dir, "units.csv"), ["id", "name", "group", "parent", "kind"], d.units, (u) => [
    u.id,
    u.name,
    u.group,
    u.parent,
    u.kind,
  ]);
  writeCsv(join(dir, "scores.csv"), ["unit", "category", "value"], scores, (s) => [
    s.unit,
    s.category,
    s.value,
  ]);
  writeCsv(
    join(dir, "ballots.csv"),
    ["category", "voter", "role", "unit", "score", "grade"],
    ballots,
    (b) => [b.category, b.voter, b.role, b.unit, b.score, b.grade],
  );
  writeCsv(
    join(dir, "survey-forms.csv"),
    ["category", "unit", "respondent_group", "answer"],
    surveyForms,
    (f) => [f.category, f.unit, f.respondentGroup, f.answer],
  );
  writeCsv(
    join(dir, "findings.csv"),
    ["id", "unit", "type", "level", "rectification", "repeated", "note"],
    findings,
    (f) => [
      f.id,
      f.unit,
      f.type,
      f.level,
      f.rectification,
      f.repeated === undefined ? "" : f.repeated ? "yes" : "no",
      f.note,
    ],
  );
  // Without these the gateway would rank the year without its vetoes and commendations.
  writeCsv(join(dir, "vetoes.csv"), ["id", "unit", "type", "reason"], vetoes, (v) => [
    v.id,
    v.unit,
    v.type,
    v.reason,
  ]);
  writeCsv(join(dir, "bonuses.csv"), ["id", "unit", "type", "level", "note"], bonuses, (b) => [
    b.id,
    b.unit,
    b.type,
    b.level,
    b.note,
  ]);
  return {
    "scheme.json": scheme.categories.length,
    "dataset.json": d.units.length,
    "units.csv": d.units.length,
    "scores.csv": scores.length,
    "ballots.csv": ballots.length,
    "survey-forms.csv": surveyForms.length,
    "findings.csv": findings.length,
    "vetoes.csv": vetoes.length,
    "bonuses.csv": bonuses.length,
  };
}

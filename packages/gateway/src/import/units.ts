import { unknownId } from "@pingyi/engine";
import type { ImportRowError } from "../store/errors.js";
import { auditCreatedGroups } from "../store/internal.js";
import type { KindSpec, MappedRow, Prepared, WholeFile } from "./columns.js";
import { comparePlaces, placeOf, placesText } from "./record-place.js";

/**
 * A year's units (单位): columns id, name, group, parent?, kind?. A parent is a unit id, of the
 * cycle or of the file, before or after its sub-units: the file is checked as a whole and
 * written parents first. A group the cycle does not have yet is created as its scheme version
 * declares it.
 */
export const unitsSpec: KindSpec = {
  kind: "units",
  table: "units",
  columns: [
    {
      name: "id",
      dbColumn: "id",
      aliases: ["unit_id", "unit_code", "单位编号", "单位代码", "编号"],
      type: "text",
      required: true,
    },
    {
      name: "name",
      dbColumn: "name",
      aliases: ["unit_name", "单位名称", "名称", "单位全称"],
      type: "text",
      required: true,
    },
    {
      name: "group",
      dbColumn: "group_id",
      aliases: ["group_id", "可比组", "分组", "组别", "考核组", "考核分组"],
      type: "text",
      required: true,
    },
    {
      name: "parent",
      dbColumn: "parent_id",
      aliases: ["parent_id", "上级单位", "上级单位编号", "上级单位代码", "主管单位"],
      type: "text",
    },
    { name: "kind", dbColumn: "kind", aliases: ["unit_kind", "单位类型", "单位类别", "类型"], type: "text" },
  ],
  key: ["id"],
  prepare: prepareUnits,
};

const [ID, NAME, GROUP, PARENT] = [0, 1, 2, 3] as const;
const at = (r: MappedRow, i: number) => r.values[i] as string;

interface DeclaredGroup {
  id: string;
  name: string;
  ranked: boolean;
}

/** The groups the cycle's scheme version declares, read under the import's lock on the cycle. */
async function schemeGroups(file: WholeFile) {
  const [row] = await file.tx.query<{ scheme_id: string; version: number; groups: unknown }>(
    `SELECT c.scheme_id, c.scheme_version AS version, s.document->'groups' AS groups
     FROM cycles c JOIN scheme_versions s ON s.scheme_id = c.scheme_id AND s.version = c.scheme_version
     WHERE c.id = $1`,
    [file.cycleId],
  );
  const declared = new Map<string, DeclaredGroup>();
  for (const g of Array.isArray(row?.groups) ? (row.groups as Record<string, unknown>[]) : []) {
    if (typeof g?.id !== "string") continue;
    const name = typeof g.name === "string" ? g.name : g.id;
    declared.set(g.id, { id: g.id, name, ranked: g.ranked !== false });
  }
  return { scheme: `${row?.scheme_id} v${row?.version}`, declared };
}

/** Every file unit whose parent chain (within the file) comes back to it, with the loop. */
function loops(rows: readonly MappedRow[], parentOf: ReadonlyMap<string, string>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const state = new Map<string, "path" | "done">();
  for (const r of rows) {
    const path: string[] = [];
    let u: string | undefined = at(r, ID);
    while (u !== undefined && !state.has(u)) {
      state.set(u, "path");
      path.push(u);
      u = parentOf.get(u);
    }
    if (u !== undefined && state.get(u) === "path") {
      const loop = path.slice(path.indexOf(u));
      loop.forEach((v, i) => {
        found.set(v, [...loop.slice(i), ...loop.slice(0, i)]);
      });
    }
    for (const v of path) state.set(v, "done");
  }
  return found;
}

async function prepareUnits(file: WholeFile, rows: readonly MappedRow[]): Promise<Prepared> {
  const { tx, cycleId } = file;
  const errors: ImportRowError[] = [];
  const bad = (r: MappedRow, column: string, message: string) =>
    errors.push({ ...placeOf(r), column: file.label(column), message });

  const stored = await tx.query<{ id: string; name: string }>(
    "SELECT id, name FROM units WHERE cycle_id = $1",
    [cycleId],
  );
  const inCycle = new Set(stored.map((u) => u.id));
  // Duplicates within the file were turned away as they were read: ids here are unique.
  const inFile = new Map(rows.map((r) => [at(r, ID), r]));
  const idOfName = new Map<string, string>();
  for (const u of [...stored, ...rows.map((r) => ({ id: at(r, ID), name: at(r, NAME) }))])
    idOfName.set(u.name, u.id);

  const { scheme, declared } = await schemeGroups(file);
  const parentOf = new Map<string, string>();
  for (const r of rows) {
    const id = at(r, ID);
    const group = at(r, GROUP);
    const parent = r.values[PARENT] ?? null;
    if (inCycle.has(id))
      bad(
        r,
        "id",
        `unit '${id}' is already in the cycle (an import only adds units; change one with upsertUnit)`,
      );
    if (!declared.has(group))
      bad(r, "group", `${unknownId("group", group, new Set(declared.keys()), true)}, in scheme ${scheme}`);
    if (parent === null) continue;
    if (parent === id) bad(r, "parent", "a unit cannot be its own parent");
    else if (inFile.has(parent)) parentOf.set(id, parent);
    else if (!inCycle.has(parent)) {
      // 上级单位 is often filled in with a name: say which id was meant.
      const named = idOfName.get(parent);
      bad(
        r,
        "parent",
        `unknown parent '${parent}': no unit of the cycle or of this file has that id${named ? ` (it is the name of unit '${named}': give its id)` : ""}`,
      );
    }
  }
  for (const [id, loop] of loops(rows, parentOf)) {
    const places = placesText(loop.map((u) => inFile.get(u)!));
    bad(inFile.get(id)!, "parent", `the parent chain loops: ${[...loop, id].join(" → ")} (${places})`);
  }
  if (errors.length) return { errors: errors.sort(comparePlaces) };

  await createGroups(
    file,
    [...new Set(rows.map((r) => at(r, GROUP)))].map((g) => declared.get(g)!),
  );

  // Parents first, so each batch's foreign keys hold whatever the order in the file.
  const order: MappedRow[] = [];
  const placed = new Set<string>();
  for (const r of rows) {
    const chain: MappedRow[] = [];
    for (let u: string | undefined = at(r, ID); u !== undefined && !placed.has(u); u = parentOf.get(u)) {
      placed.add(u);
      chain.push(inFile.get(u)!);
    }
    for (let i = chain.length - 1; i >= 0; i--) order.push(chain[i]!);
  }
  return { order };
}

/**
 * Groups the cycle does not have yet, named and ranked as declared, each with an audit record of
 * its own (as upsertUnit makes them), next to the import's. Marked as the import's, so removing
 * it takes them out again if no unit is left in them.
 */
async function createGroups(file: WholeFile, groups: readonly DeclaredGroup[]) {
  const created = await file.tx.query<DeclaredGroup>(
    `INSERT INTO groups (cycle_id, id, name, ranked, import_id)
     SELECT $1, g.id, g.name, g.ranked::boolean, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS g(id, name, ranked)
     ON CONFLICT (cycle_id, id) DO NOTHING RETURNING id, name, ranked`,
    [
      file.cycleId,
      groups.map((g) => g.id),
      groups.map((g) => g.name),
      groups.map((g) => String(g.ranked)),
      file.importId,
    ],
  );
  await auditCreatedGroups(file.tx, file.actor, file.cycleId, created);
}

import type { ObjectRef } from "@pothos/core";
import { atLeast } from "../auth/roles.js";
import { builder } from "../builder.js";
import type { Context } from "../context.js";
import { GraphQLError } from "../graphql.js";
import { importId as importIdRule } from "../import/import-id.js";
import { type Cycle, type ImportKind, NotFoundError, ValidationError } from "../store/index.js";
import { check } from "./validate.js";

/**
 * Which import loaded a record, and which records still carry an import: what removeImport
 * takes out, shown before it runs, so that an administrator can tell the rows a file loaded from
 * those corrected by hand since (which it keeps). Import ids are an administrator's, as the
 * cycle's list of imports is.
 */

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const IMPORT_ID =
  "The import that loaded this record (its id in `Cycle.imports`); null when the record was entered by hand, " +
  "or loaded by an import and edited by hand since (the edit clears it). `removeImport` deletes only the records " +
  "that still carry its id: this one goes with that import, a null one stays. Admins only, as `Cycle.imports`.";

/** A group goes with its import only once no unit is left in it. */
export const GROUP_IMPORT_ID =
  "The units import that created this group (its id in `Cycle.imports`); null when the group was made otherwise " +
  "(upsertGroup, upsertUnit, copied from another cycle, or by an import before database version 005) or changed by " +
  "upsertGroup since. `removeImport` of that import deletes the group once no unit is left in it; a null one stays. " +
  "Admins only, as `Cycle.imports`.";

/** `importId` on a record type, read from the record by `importId`. */
export function importIdField<T>(
  ref: ObjectRef<Types, T>,
  importId: (record: T) => string | undefined,
  description = IMPORT_ID,
): void {
  builder.objectField(ref, "importId", (t) =>
    t.id({
      nullable: true,
      description,
      authScopes: { admin: true },
      resolve: (record) => importId(record) ?? null,
    }),
  );
}

/** A list of groups filtered by import: the groups a units import created and still carry its id. */
export const GROUP_IMPORT_FILTER =
  "Only the groups that still carry this units import's id (their `importId`): those `removeImport` of it deletes once no unit is left in them. Trimmed, as import ids are stored. Admins only; an import of another cycle or of another kind (a findings import, say: the refusal names the list its kind loads), or an id no import has (one removed, say), is refused.";

export const IMPORT_FILTER =
  "Only the records that still carry this import's id (their `importId`): those `removeImport` would delete now. Trimmed, as import ids are stored. Admins only; an import of another cycle or of another kind (a findings import in `units`, say: the refusal names the list its kind loads), or an id no import has (one removed, say), is refused.";

/** Where each kind of import's records are read, said when an import of that kind is given to another list. */
const LISTED_BY: Record<ImportKind, string> = {
  units: "its records are listed by units",
  scores: "its records are listed by Cycle.scores",
  findings: "its records are listed by Cycle.findings",
  ballots: "its records are listed by Cycle.ballots",
  vetoes: "its records are listed by Cycle.vetoEvents",
  bonuses: "its records are listed by Cycle.bonusEvents",
  "survey-forms":
    "survey forms are tallied, not listed (Cycle.surveyTallies), and its recordsHeld counts them",
};

/**
 * A list's import filter checked against the cycle and the kind of records the list holds: an
 * import removed, mistyped, of another cycle or of another kind would answer "no record" as if
 * the import held none.
 */
export async function importFilter(
  ctx: Pick<Context, "store" | "principal">,
  cycle: Pick<Cycle, "id">,
  importId: string | number | null | undefined,
  listed: ImportKind,
): Promise<string | undefined> {
  if (importId == null) return undefined;
  const role = ctx.principal?.role;
  if (!atLeast(role, "admin"))
    throw new GraphQLError(
      "only an admin filters by import: import ids are listed in Cycle.imports, an admin's",
      {
        extensions: { code: "FORBIDDEN", ...(role ? { role } : {}), needed: "admin" },
      },
    );
  // Stored trimmed (importFile): " batch-1 " names import "batch-1".
  const id = check(importIdRule, String(importId), "importId");
  const found = await ctx.store.imports.get(id).catch((err) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
  if (found?.cycleId !== cycle.id) {
    // A cycle that does not exist is NOT_FOUND, whatever the import: said before the import.
    await ctx.store.cycles.get(cycle.id);
    throw new ValidationError([
      {
        path: "importId",
        message: found
          ? `import '${id}' is cycle '${found.cycleId}''s, not cycle '${cycle.id}''s`
          : `unknown import '${id}' in cycle '${cycle.id}' (removed, or never imported: Cycle.imports lists its imports)`,
      },
    ]);
  }
  if (found.kind !== listed)
    throw new ValidationError([
      {
        path: "importId",
        message: `import '${id}' is a ${found.kind} import, not a ${listed} one: ${LISTED_BY[found.kind]}`,
      },
    ]);
  return id;
}

/** One rule change between two schemes, as the engine's schemeChanges lists it (SchemeDiff, WhatIf). */
import { builder } from "../builder.js";
import type { HintedChange } from "./likely-renames.js";

const ChangeKind = builder.enumType("ChangeKind", {
  values: {
    ADDED: { value: "added" },
    REMOVED: { value: "removed" },
    CHANGED: { value: "changed" },
  } as const,
});

/** A guess, said as one: an entry matched by id can only be removed and added. */
const RENAME_GUESS =
  "that is likely the same entry renamed: a close spelling (case, a letter or two, two letters swapped, one id inside " +
  "the other) or, failing that, the same content but for its id and name (a category's points and method). A guess, " +
  "for the reader to confirm; null when none is likely, on other changes, and in a what-if's changes.";

export const SchemeChangeRef = builder.objectRef<HintedChange>("SchemeChange").implement({
  fields: (t) => ({
    path: t.exposeString("path", {
      description: "Arrays of objects with an id are matched by id: `categories[id=public].points`.",
    }),
    kind: t.field({ type: ChangeKind, resolve: (c) => c.kind }),
    before: t.field({
      type: "JSON",
      nullable: true,
      description:
        "As the earlier scheme says it (the older version, or a what-if's baseline); a value it leaves out is shown as its default.",
      resolve: (c) => c.before ?? null,
    }),
    after: t.field({ type: "JSON", nullable: true, resolve: (c) => c.after ?? null }),
    renamedTo: t.string({
      nullable: true,
      description: `On a REMOVED entry of a list matched by id (a category, a group, a grade rule, …), the id of an entry the later scheme adds to that list ${RENAME_GUESS}`,
      resolve: (c) => c.renamedTo ?? null,
    }),
    renamedFrom: t.string({
      nullable: true,
      description: `On an ADDED entry of a list matched by id, the id of an entry the earlier scheme had in that list ${RENAME_GUESS}`,
      resolve: (c) => c.renamedFrom ?? null,
    }),
  }),
});

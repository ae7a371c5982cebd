/** One rule change between two schemes, as the engine's schemeChanges lists it (SchemeDiff, WhatIf). */
import type { SchemeChange } from "@pingyi/engine";
import { builder } from "../builder.js";

const ChangeKind = builder.enumType("ChangeKind", {
  values: {
    ADDED: { value: "added" },
    REMOVED: { value: "removed" },
    CHANGED: { value: "changed" },
  } as const,
});

export const SchemeChangeRef = builder.objectRef<SchemeChange>("SchemeChange").implement({
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
  }),
});

import { z } from "zod";
import { builder } from "../builder.js";
import type { SchemeWithdrawal } from "../store/index.js";
import { WRITE_ERRORS } from "./common.js";
import { SchemeVersionRef } from "./refs.js";
import { check, onArguments } from "./validate.js";

const SchemeWithdrawalRef = builder.objectRef<SchemeWithdrawal>("SchemeWithdrawal").implement({
  description:
    "Why a published version takes no cycle any more: who withdrew it, when and why (withdrawSchemeVersion). Kept for good beside the version, which stays readable and diffable.",
  fields: (t) => ({
    at: t.field({ type: "DateTime", description: "When it was withdrawn.", resolve: (w) => w.at }),
    by: t.exposeString("by", { description: "The administrator who withdrew it (the token's subject)." }),
    reason: t.exposeString("reason", { description: "Why, as they gave it (trimmed)." }),
  }),
});

builder.objectField(SchemeVersionRef, "withdrawn", (t) =>
  t.field({
    type: SchemeWithdrawalRef,
    nullable: true,
    description:
      "Who withdrew the version, when and why; null for a version cycles may be put on. A withdrawn version is still " +
      "listed, read and diffed, and still counts for the scheme's numbering (`latestVersion`, `basedOn`), but " +
      "createCycle and setCycleScheme refuse it.",
    resolve: (v) => v.withdrawn,
  }),
);

const WithdrawSchemeVersionInput = builder.inputType("WithdrawSchemeVersionInput", {
  fields: (t) => ({
    schemeId: t.id({ required: true }),
    version: t.int({ required: true, description: "The published version to withdraw." }),
    reason: t.string({
      required: true,
      description:
        'Why no cycle may be put on it any more, kept with the withdrawal and in its audit entry for good, trimmed: up to 2,000 characters, with at least one letter or digit ("wrong points for public" is a reason, "." is not).',
    }),
  }),
});

builder.mutationFields((t) => ({
  withdrawSchemeVersion: t.field({
    type: SchemeVersionRef,
    description:
      "Withdraws a published version, for good: createCycle and setCycleScheme refuse it from then on (naming who " +
      "withdrew it, why, and the latest version not withdrawn), while the version itself is kept: still listed " +
      "(`schemeVersions`, marked by `withdrawn`), read and diffed, and a withdrawn version's document can still be " +
      "previewed (previewSchemeImpact). It is still the scheme's latest if it was: the next version is published " +
      "with `basedOn` its number, and `SchemeSummary.latestUsableVersion` says which version to use. Every version " +
      "of a scheme may be withdrawn; createCycle then refuses the scheme until a new version is published. " +
      "Refused with a ValidationError at `input.version` for a version already withdrawn (by whom, when and why) " +
      "and for one a cycle is on: an open cycle is moved to another version first (setCycleScheme), and a finalised " +
      "cycle keeps its version for good, so that version cannot be withdrawn; the cycles are named. Checked under " +
      "the version's lock, so no cycle is put on it meanwhile. Sent again as it was (the same version and reason, " +
      "by the same administrator) once withdrawn, it answers the version and writes nothing. Audited (`withdraw`, " +
      "with the reason).",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: WithdrawSchemeVersionInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      const v = check(
        z.object({
          schemeId: z.string().trim().min(1, "must not be empty").max(100),
          version: z.number().int().min(1, "must be a version number (1 or more)"),
          // Checked by the store, in one place (withdrawalReason): blank, punctuation alone, too long.
          reason: z.string(),
        }),
        input,
        "input",
      );
      return onArguments(
        { schemeId: "input.schemeId", version: "input.version", reason: "input.reason" },
        ctx.store.schemes.withdraw(ctx.actor, v),
      );
    },
  }),
}));

import { useI18n } from "../i18n";
import { updateParams } from "../router";
import type { SchemeDocument } from "../whatif-api";

/** The groups whose units are ranked: what-if moves and robustness are read within one of them. */
export const rankedGroups = (scheme: SchemeDocument) => scheme.groups.filter((g) => g.ranked !== false);

/**
 * The group both analyses study: the URL's (`?group=`) when it is a ranked group of this cycle's
 * scheme, else the first ranked one (an unranked group has no ranks to sweep).
 */
export function studiedGroup(scheme: SchemeDocument, param: string | null): string | null {
  const ranked = rankedGroups(scheme);
  return (ranked.find((g) => g.id === param) ?? ranked[0])?.id ?? null;
}

/** Ranks are compared within a group: with several ranked groups, the analyst picks one (a pick clears the unit). */
export function GroupPicker({ scheme, value }: { scheme: SchemeDocument; value: string | null }) {
  const { t } = useI18n();
  const ranked = rankedGroups(scheme);
  if (ranked.length < 2) return null;
  return (
    <label>
      {t("group")}{" "}
      <select
        data-testid="group"
        value={value ?? ""}
        onChange={(e) => updateParams({ group: e.target.value, unit: null })}
      >
        {ranked.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
    </label>
  );
}

import { useEffect, useId, useRef } from "react";
import { type Translate, useI18n } from "../i18n";
import type { DraftDiff } from "../rules-api";
import { ChangeTable } from "./change-table";
import { type CategoryLabel, draftHeadlines } from "./draft-headlines";

const label = ({ id, name }: CategoryLabel) => (name ? `${id} (${name})` : id);

/** The headlines' sentences, in the page's language: none for what the draft leaves alone. */
export function headlineLines(diff: DraftDiff, t: Translate): string[] {
  const h = draftHeadlines(diff.changes);
  const sep = t("rules.confirm.separator");
  return [
    h.added.length > 0 && t("rules.confirm.added", { ids: h.added.map(label).join(sep) }),
    h.dropped.length > 0 && t("rules.confirm.dropped", { ids: h.dropped.map(label).join(sep) }),
    h.renamed.length > 0 &&
      t("rules.confirm.renamed", { pairs: h.renamed.map((r) => `${r.from} → ${r.to}`).join(sep) }),
    h.points.length > 0 &&
      t("rules.confirm.points", {
        changes: h.points.map((p) => `${p.id} ${p.before} → ${p.after}`).join(sep),
      }),
    h.bonusCap && t("rules.confirm.bonusCap", h.bonusCap),
    h.others > 0 && t("rules.confirm.others", { count: h.others }),
  ].filter((line): line is string => typeof line === "string");
}

/**
 * Asked before a draft is published: what it changes against the version it is based on, as the
 * gateway diffs it, for the administrator to read before versions that are never deleted get one
 * more. The focus starts on Back: Enter straight away publishes nothing.
 */
export function PublishConfirmation(props: {
  diff: DraftDiff;
  /** The draft is based on a withdrawn version: said, above what it changes (maybe nothing). */
  restoresWithdrawn?: boolean;
  reason: string;
  busy: boolean;
  onPublish: () => void;
  onBack: () => void;
}) {
  const { t } = useI18n();
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  const titleId = useId();
  const vars = { from: props.diff.from, to: props.diff.to };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a question asked in the page, not a modal dialog
    <div
      className="notice stack"
      role="group"
      aria-labelledby={titleId}
      data-testid="publish-confirmation"
      onKeyDown={(e) => {
        if (e.key === "Escape") props.onBack();
      }}
    >
      <strong id={titleId}>{t("rules.confirm.title", vars)}</strong>
      <ul data-testid="publish-headlines">
        {[
          ...(props.restoresWithdrawn ? [t("rules.confirm.restoresWithdrawn", vars)] : []),
          ...headlineLines(props.diff, t),
        ].map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div className="scroll-x">
        <ChangeTable changes={props.diff.changes} testId="publish-diff" />
      </div>
      <p>{t("rules.confirm.reason", { reason: props.reason })}</p>
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          data-testid="publish-confirm"
          // The reason emptied meanwhile: the gateway would refuse it, as Publish does.
          disabled={props.busy || !props.reason.trim()}
          onClick={props.onPublish}
        >
          {t("rules.confirm.publish", vars)}
        </button>
        <button type="button" ref={back} data-testid="publish-back" onClick={props.onBack}>
          {t("rules.confirm.back")}
        </button>
      </div>
    </div>
  );
}

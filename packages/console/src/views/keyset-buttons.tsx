import { useEffect, useRef } from "react";
import type { HistoryPage } from "../history-api";
import type { HistoryCursor } from "../history-filter";
import { useI18n } from "../i18n";
import { updateParams } from "../router";

/**
 * The list whose Previous or Next was pressed, from which page, and which of the two: as
 * PageButtons has it (page-controls.tsx), the buttons are drawn anew with the page they lead to.
 */
let pressed: { from: string; button: "prev" | "next" } | null = null;

/**
 * Previous (newer entries) and Next (older), by the cursors the gateway gave: the one pressed has
 * the focus again on the page it led to, or, there disabled, the other, as on the other lists.
 */
export function KeysetButtons(props: { page: HistoryPage; at: string; onGo: () => void }) {
  const { t } = useI18n();
  const { page, at } = props;
  const prev = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!pressed || pressed.from === at) return;
    const [first, second] = pressed.button === "next" ? [next, prev] : [prev, next];
    pressed = null;
    (first.current && !first.current.disabled ? first : second).current?.focus();
  }, [at]);
  if (!page.newer && !page.older) return null;
  const go = (cursor: HistoryCursor, button: "prev" | "next") => {
    pressed = { from: at, button };
    props.onGo();
    updateParams({
      after: cursor && "after" in cursor ? cursor.after : null,
      before: cursor && "before" in cursor ? cursor.before : null,
    });
  };
  const describedBy = page.rows.length > 0 ? "audit-count" : undefined;
  return (
    <div className="toolbar">
      <button
        type="button"
        ref={prev}
        data-testid="audit-prev"
        aria-describedby={describedBy}
        disabled={!page.newer}
        onClick={() => go(page.newer, "prev")}
      >
        {t("list.prev")}
      </button>
      <button
        type="button"
        ref={next}
        data-testid="audit-next"
        aria-describedby={describedBy}
        disabled={!page.older}
        onClick={() => go(page.older, "next")}
      >
        {t("list.next")}
      </button>
    </div>
  );
}

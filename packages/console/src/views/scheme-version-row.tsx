import { type Ref, useEffect, useId, useRef, useState } from "react";
import { cycleLabel } from "../cycles-api";
import type { CyclesOnVersion } from "../cycles-on-version";
import { formatDateTime } from "../format";
import { historyHref } from "../history-filter";
import { useI18n } from "../i18n";
import { type SchemeVersionInfo, type SchemeWithdrawal, withdrawVersion } from "../rules-api";
import { DeleteConfirmation } from "./delete-confirmation";
import { useReasonedDeletion } from "./use-reasoned-deletion";

/** Columns of the Rules page's version history: the withdrawal's question spans them. */
const COLUMNS = 5;

/**
 * Who withdrew a version, when and why, as its row says it. Focusable from script only: where the
 * focus goes once the version is withdrawn, its Withdraw button gone with the question.
 */
export function WithdrawnMark({
  withdrawn,
  ref,
}: {
  withdrawn: SchemeWithdrawal;
  ref?: Ref<HTMLDivElement>;
}) {
  const { t, lang } = useI18n();
  return (
    <div className="flag severe wraps" data-testid="version-withdrawn" tabIndex={-1} ref={ref}>
      {t("rules.withdrawn", {
        by: withdrawn.by,
        date: formatDateTime(withdrawn.at, lang),
        reason: withdrawn.reason,
      })}
    </div>
  );
}

/**
 * The cycles on a version, said on its row, and what that means for withdrawing it: open ones are
 * moved off it first (the Cycles page's move, linked), a finalised one keeps it for good. Its id
 * describes the Withdraw button it disables.
 */
export function CyclesOnNote({ on, id }: { on: CyclesOnVersion; id: string }) {
  const { t, lang } = useI18n();
  const cycles = new Intl.ListFormat(lang, { type: "conjunction" }).format(
    on.all.map((c) => cycleLabel(c, [{ ...c, previousCycle: null }])),
  );
  // Chinese sentences run on after their full stop; English ones are spaced.
  const gap = lang === "zh-CN" ? "" : " ";
  return (
    <div className="muted" data-testid="version-cycles-on" id={id}>
      {t(on.all.length === 1 ? "rules.cycleOnIt" : "rules.cyclesOnIt", { cycles })}
      {gap}
      {on.finalised ? (
        t("rules.withdrawNeverFinalised")
      ) : (
        <>
          {t("rules.withdrawMoveFirst")}
          {gap}
          <a href="#/cycles">{t("cycles.move")}</a>
        </>
      )}
    </div>
  );
}

/**
 * One published version of the Rules page's history: a withdrawn one marked with who withdrew it,
 * when and why; another offering Withdraw (the page is an administrator's). Withdrawing is for
 * good, so it is asked under the row as a deletion is, with a reason the audit log keeps; the
 * gateway's refusal (a cycle is on the version: it names the cycles) is shown as it comes.
 * `cyclesOn`: the cycles the console read on the version (null: none, or not read). Withdraw is
 * then disabled, described by what is to be done first, so no reason is typed in vain; a cycle put
 * on it since is still refused by the gateway, and the history and cycles are read again.
 * `onChanged`: the history is to be read again, after a refusal; `onWithdrawn`: after a
 * withdrawal, which the page announces (and reads the history again).
 */
export function SchemeVersionRow(props: {
  schemeId: string;
  version: SchemeVersionInfo;
  cyclesOn: CyclesOnVersion | null;
  onChanged: () => void;
  onWithdrawn: (version: number) => void;
}) {
  const { t, lang } = useI18n();
  const { schemeId, version: v, cyclesOn } = props;
  const noteId = useId();
  const mark = useRef<HTMLDivElement>(null);
  // Set on a withdrawal: once the history read again marks the version, the focus goes to its mark.
  const [focusMark, setFocusMark] = useState(false);
  useEffect(() => {
    if (!focusMark || !v.withdrawn) return;
    mark.current?.focus();
    setFocusMark(false);
  }, [focusMark, v.withdrawn]);
  const withdrawal = useReasonedDeletion({
    key: `${schemeId}@${v.version}`,
    required: true,
    form: "withdraw",
    label: t("rules.withdrawReason"),
    fieldPaths: ["reason"],
    // Required: a reason is always given once it is sent.
    remove: (reason) => withdrawVersion({ schemeId, version: v.version, reason: reason ?? "" }),
    onDeleted: () => {
      setFocusMark(true);
      props.onWithdrawn(v.version);
    },
    // Withdrawn meanwhile, by a colleague, or a cycle put on it: the history says how it stands.
    onClose: (refused) => {
      if (refused) props.onChanged();
    },
  });
  const open = withdrawal.open;
  // Disabled by aria-disabled, not `disabled`: it stays in the tab order with its description read
  // out, and keeps the focus when the cycles read again after a refusal disable it. Open, it still
  // closes the question.
  const blocked = cyclesOn !== null && !open;
  return (
    <>
      <tr data-testid="version-row" data-version={v.version} data-withdrawn={v.withdrawn !== null}>
        <td className="num">{v.version}</td>
        <td>{formatDateTime(v.createdAt, lang)}</td>
        <td>{v.author}</td>
        <td>
          {v.reason}
          {v.withdrawn && <WithdrawnMark withdrawn={v.withdrawn} ref={mark} />}
          {!v.withdrawn && cyclesOn && <CyclesOnNote on={cyclesOn} id={noteId} />}
        </td>
        <td>
          {/* Its publication (and withdrawal) in the audit log: who, when, why. */}
          <a
            href={historyHref({ entity: "scheme_version", entityId: `${schemeId}@${v.version}` })}
            aria-label={t("history.versionLink", { version: v.version })}
            data-testid="version-history"
          >
            {t("history.link")}
          </a>
          {!v.withdrawn && (
            <>
              {" "}
              <button
                type="button"
                ref={withdrawal.button}
                data-testid="withdraw-open"
                aria-label={t("rules.withdrawLabel", { version: v.version })}
                aria-expanded={open}
                aria-disabled={blocked}
                aria-describedby={cyclesOn ? noteId : undefined}
                onClick={() => withdrawal.toggle(blocked)}
              >
                {t("rules.withdraw")}
              </button>
            </>
          )}
        </td>
      </tr>
      {open && !v.withdrawn && (
        <tr className="row-editor">
          <td colSpan={COLUMNS}>
            <DeleteConfirmation
              name="withdraw"
              question={t("rules.withdrawQuestion", { scheme: schemeId, version: v.version })}
              detail={`${formatDateTime(v.createdAt, lang)} · ${v.author} · ${v.reason}`}
              warning={t("rules.withdrawWarning")}
              confirm={t("rules.withdrawConfirm", { version: v.version })}
              reasons={{
                gone: t("rules.withdrawStale"),
                finalised: t("rules.withdrawStale"),
                forbidden: t("rules.withdrawForbidden"),
              }}
              refusedText={(said) => t("rules.withdrawRefused", { version: v.version, reason: said })}
              fields={withdrawal.reasonField}
              {...withdrawal.wiring}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/** What the page's status region says once a version is withdrawn. */
export function WithdrawnStatus({ version }: { version: number }) {
  const { t } = useI18n();
  return (
    <p className="ok" data-testid="version-withdrawn-status">
      {t("rules.withdrawnStatus", { version })}
    </p>
  );
}

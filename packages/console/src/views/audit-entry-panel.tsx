import { type KeyboardEvent, useMemo, useState } from "react";
import { type AuditChange, auditChange, type FieldValue } from "../audit-change";
import { jsonLength, type RecordField, sizeText, valueText } from "../audit-record";
import { download } from "../export/download";
import { type AuditEntry, type AuditRow, loadAuditEntry } from "../history-api";
import { type Translate, useI18n } from "../i18n";
import { useQuery } from "../use-query";
import { ErrorNote, failedRead } from "./cycle-picker";

/**
 * One audit entry opened under its row: read with its records (auditEntry) only now, and shown as
 * what it changed. Escape or Close gives the focus back to the button that opened it.
 */
export function EntryPanel(props: {
  id: string;
  row: AuditRow;
  title: string;
  onClose: () => void;
  onKeyDown: (e: KeyboardEvent) => void;
}) {
  const { t } = useI18n();
  const entry = useQuery(`audit-entry:${props.row.id}`, (s) => loadAuditEntry(props.row.id, s));
  const titleId = `${props.id}-title`;
  return (
    // A region named by its title: Escape closes it from any of its buttons, as a row's editor.
    <section
      id={props.id}
      className="stack"
      aria-labelledby={titleId}
      data-testid="audit-entry"
      onKeyDown={props.onKeyDown}
    >
      <strong id={titleId}>{props.title}</strong>
      <ErrorNote {...failedRead(entry)} />
      {entry.loading && !entry.current && <p>{t("loading")}</p>}
      {entry.current && <EntryChange entry={entry.current} />}
      <div className="toolbar">
        <button type="button" data-testid="audit-close" onClick={props.onClose}>
          {t("close")}
        </button>
      </div>
    </section>
  );
}

/** What the entry changed, and the whole of it to download (and, unless it is large, to unfold). */
function EntryChange({ entry }: { entry: AuditEntry }) {
  const { t, lang } = useI18n();
  const change = useMemo(() => auditChange(entry), [entry]);
  const number = (n: number) => new Intl.NumberFormat(lang).format(n);
  const counted = change.kind !== "none" && change.counted;
  const save = () =>
    download(
      new Blob([JSON.stringify(entry, null, 2)], { type: "application/json" }),
      `audit-entry-${entry.id}.json`,
    );
  return (
    <>
      <ChangeView change={change} t={t} number={number} />
      {counted && (
        <p className="muted" data-testid="audit-counted">
          {t("history.counted", { size: sizeText(jsonLength(entry)) })}
        </p>
      )}
      <div className="toolbar">
        <button type="button" data-testid="audit-download" onClick={save}>
          {t("history.download")}
        </button>
      </div>
      {!counted && <WholeEntry entry={entry} />}
    </>
  );
}

/** The entry as JSON, written out only once it is unfolded. */
function WholeEntry({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <details data-testid="audit-whole" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t("history.whole")}</summary>
      {open && <pre className="json">{JSON.stringify(entry, null, 2)}</pre>}
    </details>
  );
}

function ChangeView(props: { change: AuditChange; t: Translate; number: (n: number) => string }) {
  const { change, t, number } = props;
  const shown = (v: FieldValue | undefined) => <ValueText value={v} t={t} number={number} />;
  if (change.kind === "none") return <p data-testid="audit-change">{t("history.change.none")}</p>;
  if (change.kind === "update") {
    const { changed, unchanged } = change;
    const summary =
      changed.length === 0
        ? t("history.change.same")
        : changed.length === 1
          ? t("history.change.updateOne")
          : t("history.change.update", { n: number(changed.length) });
    const same =
      changed.length === 0 || unchanged === 0
        ? ""
        : unchanged === 1
          ? t("history.change.unchangedOne")
          : t("history.change.unchanged", { n: number(unchanged) });
    return (
      <>
        <p data-testid="audit-change">{same ? `${summary} ${same}` : summary}</p>
        {changed.length > 0 && (
          <div className="scroll-x">
            <table data-testid="audit-diff">
              <thead>
                <tr>
                  <th>{t("history.field")}</th>
                  <th>{t("history.before")}</th>
                  <th>{t("history.after")}</th>
                </tr>
              </thead>
              <tbody>
                {changed.map((c) => (
                  <tr
                    key={c.path}
                    className={!c.before ? "change-added" : !c.after ? "change-removed" : "change-changed"}
                  >
                    <td>
                      <code>{c.path}</code>
                    </td>
                    <td className="before">{shown(c.before)}</td>
                    <td className="after">{shown(c.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>
    );
  }
  return (
    <>
      <p data-testid="audit-change">{t(`history.change.${change.kind}`)}</p>
      <div className="scroll-x">
        <table data-testid="audit-record">
          <thead>
            <tr>
              <th>{t("history.field")}</th>
              <th>{t("history.value")}</th>
            </tr>
          </thead>
          <tbody>
            {change.fields.map((f: RecordField) => (
              <tr key={f.path}>
                <td>
                  <code>{f.path}</code>
                </td>
                <td>{shown(f)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** One value in a cell: a count for a list counted, a note for none, else its text, cut when long. */
function ValueText(props: { value: FieldValue | undefined; t: Translate; number: (n: number) => string }) {
  const { value: v, t, number } = props;
  if (v === undefined) return <span className="muted">{t("history.absent")}</span>;
  // A count is no value of the record: said in the page's words, in the values' type.
  if ("items" in v)
    return (
      <pre className="json">
        <em>{v.items === 1 ? t("history.itemsOne") : t("history.items", { n: number(v.items) })}</em>
      </pre>
    );
  if ("fields" in v)
    return (
      <pre className="json">
        <em>{t("history.fields", { n: number(v.fields) })}</em>
      </pre>
    );
  if (v.value === null) return <span className="muted">{t("history.null")}</span>;
  const { text, cut } = valueText(v.value);
  return (
    <pre className="json">
      {text}
      {cut > 0 && <span className="muted">{t("history.cut", { n: number(cut) })}</span>}
    </pre>
  );
}

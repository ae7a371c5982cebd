import { type FormEvent, useRef, useState } from "react";
import { ApiError } from "../api";
import { formatDateTime } from "../format";
import { useI18n } from "../i18n";
import {
  ambiguityText,
  defaultImportId,
  encodingAmbiguity,
  formatFromFileName,
  headersText,
  IMPORT_FORMATS,
  IMPORT_KINDS,
  type ImportOutcome,
  type ImportRecord,
  kindText,
  loadImports,
  placeRefusal,
  type RefusalPlace,
  removeImport,
  rowsText,
  sameFormsTwin,
  summariseImport,
  TEXT_ENCODINGS,
  takesEncoding,
  uploadImport,
} from "../imports-api";
import type { Cycle } from "../queries";
import { useRoute } from "../router";
import { useQuery } from "../use-query";
import { CyclePicker, ErrorNote, failedRead, useCycle } from "./cycle-picker";
import { DraftNote } from "./draft-note";
import { Field } from "./labelled-field";
import { StatusRegion } from "./status-region";
import { showsStart, useDraft } from "./use-draft";
import { useWriteFocus } from "./use-write-focus";

/**
 * A cycle's record files (导入) for an administrator: a file is imported whole or not at all,
 * listed with who imported it and when, and can be taken out again while the cycle is open.
 */
export function Imports() {
  const { t } = useI18n();
  const { params } = useRoute();
  const cyclesRead = useCycle(params.get("cycle"));
  const { cycles, cycle } = cyclesRead;
  // Bumped after each write: the list is read again from the gateway, not patched here.
  const [revision, setRevision] = useState(0);
  const listed = useQuery(cycle?.id ?? null, (s) => loadImports(cycle!.id, s), revision);
  const current = listed.current;
  const writable = current?.status === "OPEN";
  const changed = () => setRevision((r) => r + 1);
  // Each upload or removal started takes the next number, and a note shows only while its action
  // is the latest: "imported X" must not stand beside X's removal, nor a removal's note beside the
  // upload after it.
  const actions = useRef(0);
  const [latest, setLatest] = useState(0);
  const begin = () => {
    actions.current += 1;
    setLatest(actions.current);
    return actions.current;
  };
  return (
    <section className="page stack">
      <div className="toolbar fit">
        <CyclePicker cycles={cycles} value={cycle?.id} />
      </div>
      <ErrorNote {...failedRead(cyclesRead, listed)} />
      {current && !writable && (
        <p className="muted" data-testid="imports-read-only">
          {t("imports.readOnlyFinalised")}
        </p>
      )}
      {cycle && current && writable && (
        <UploadForm
          key={`upload-${cycle.id}`}
          cycleId={cycle.id}
          listed={current.imports.map((r) => r.id)}
          begin={begin}
          latest={latest}
          onDone={changed}
        />
      )}
      {cycle && current && (
        <ImportList
          key={`list-${cycle.id}`}
          cycle={cycle}
          imports={current.imports}
          writable={writable}
          begin={begin}
          latest={latest}
          onDone={changed}
        />
      )}
      {listed.loading && !current && <p>{t("loading")}</p>}
    </section>
  );
}

/** The ids of the elements that say what was refused of the file, the import id and the encoding. */
const FILE_PROBLEM = "import-file-problem";
const ID_PROBLEM = "import-id-problem";
const ENCODING_PROBLEM = "import-encoding-problem";
/** The id of the note on why an XLSX file takes no encoding. */
const ENCODING_NOTE = "import-encoding-note";
/** The id of the note asking for the file a kept draft was for, which could not be kept. */
const FILE_AGAIN = "import-file-again";

/** `value` if it is one of `list`: a kept draft may hold a choice the page no longer offers. */
const oneOf = <T extends string>(list: readonly T[], value: string): T | undefined =>
  list.find((v) => v === value);

/**
 * What an upload did, an outcome or a refusal (with where the form shows it), and which of the
 * page's actions it was. `earlier`: another file was picked while it ran, so the boxes hold that
 * one; the file and import id the upload sent, to say which one it is about.
 */
type Result = ({ outcome: ImportOutcome } | { error: Error; place: RefusalPlace }) & {
  action: number;
  earlier?: { name: string; importId: string };
};

/** What a form needs of the page's actions: to start one, and which is the latest. */
type Actions = { begin: () => number; latest: number };

/**
 * Whether the gateway answered a failed request, so that nothing was written. A request that got
 * no answer (a dropped connection) may have been imported: the list, read again, says.
 */
const answered = (error: Error) =>
  error instanceof ApiError && error.code !== "NETWORK" && error.code !== "HTTP";

export function UploadForm(
  props: Actions & { cycleId: string; listed: readonly string[]; onDone: () => void },
) {
  const { t } = useI18n();
  // The boxes are kept as a draft (useDraft); the file cannot be: a browser lets no page keep a
  // file chosen, so its name is kept, to ask for it again. Encoding "": the gateway detects it.
  const initial = { kind: IMPORT_KINDS[0] as string, fileName: "", format: "", encoding: "", importId: "" };
  // A choice kept that the page no longer offers shows as the box's first: the form's start.
  const choicesOf = (v: typeof initial) =>
    ({
      kind: oneOf(IMPORT_KINDS, v.kind) ?? IMPORT_KINDS[0],
      format: oneOf(IMPORT_FORMATS, v.format) ?? "",
      encoding: oneOf(TEXT_ENCODINGS, v.encoding) ?? "",
    }) as const;
  const draft = useDraft(`imports.upload.${props.cycleId}`, initial, {
    atStart: showsStart(initial, (v) => ({ ...v, ...choicesOf(v) })),
  });
  const { kind, format, encoding } = choicesOf(draft.value);
  const { importId } = draft.value;
  const [file, setFile] = useState<File | null>(null);
  // The file a kept draft was typed for, until it is chosen again.
  const awaited = !file && draft.value.fileName ? draft.value.fileName : null;
  // A new key empties the file box once its file is in: the same file sent again adds nothing.
  const [fileBox, setFileBox] = useState(0);
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useWriteFocus(busy);
  // Earlier imports the administrator said this file's survey forms are other forms than: of this
  // file and these boxes only, so any change of them forgets it.
  const [otherThan, setOtherThan] = useState<string[]>([]);
  const edited = () => {
    setResult(null);
    setOtherThan([]);
  };
  // Each file picked takes the next number: an upload empties the form after it only if no other
  // file was picked while it ran, else it would take the next file from the user.
  const picks = useRef(0);

  const pick = (chosen: File | null) => {
    picks.current += 1;
    setFile(chosen);
    // That file chosen again: its boxes keep what was chosen and typed for it.
    if (chosen === null || chosen.name !== awaited)
      draft.edit({
        fileName: chosen?.name ?? "",
        format: chosen ? (formatFromFileName(chosen.name) ?? "") : "",
        importId: chosen ? defaultImportId(chosen.name) : "",
      });
    edited();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(otherThan);
  };
  const send = async (otherFormsThan: string[]) => {
    if (!file || !format || !importId.trim()) return;
    asked();
    const action = props.begin();
    const picked = picks.current;
    const sent = { name: file.name, importId };
    // Settled after another file was picked, its refusal is not of the file in the boxes.
    const earlier = () => (picks.current === picked ? {} : { earlier: sent });
    setBusy(true);
    setResult(null);
    try {
      const outcome = await uploadImport({
        cycleId: props.cycleId,
        importId,
        kind,
        format,
        encoding: encoding || null,
        otherFormsThan: kind === "SURVEY_FORMS" ? otherFormsThan : [],
        file,
      });
      setResult({ outcome, action, ...earlier() });
      if (outcome.kind !== "bad-rows" && picks.current === picked) {
        setFile(null);
        // The encoding was the file's: the next file is detected unless said again.
        draft.reset((v) => ({ ...v, fileName: "", format: "", encoding: "", importId: "" }));
        setFileBox((k) => k + 1);
        setOtherThan([]);
      }
      // Already imported is news to this page too when a colleague (or an earlier, unanswered
      // try) put the file in: the list is read again to show what the cycle holds.
      if (outcome.kind !== "bad-rows") props.onDone();
    } catch (err) {
      const error = err as Error;
      setResult({
        error,
        place: placeRefusal(error, { importId, listed: props.listed }),
        action,
        ...earlier(),
      });
      // Unanswered, it may have gone in: the list is read again to say.
      if (!answered(error)) props.onDone();
    } finally {
      setBusy(false);
    }
  };
  // Only the latest action's outcome is shown; each refusal at the box it concerns, unless the
  // boxes hold another file now: then under the form, naming the file it is about.
  const shown = result?.action === props.latest ? result : null;
  const atBoxes = shown?.earlier ? null : shown;
  const place = atBoxes && "error" in atBoxes ? atBoxes.place : null;
  const refusedRows =
    atBoxes && "outcome" in atBoxes && atBoxes.outcome.kind === "bad-rows" ? atBoxes.outcome : null;
  // The gateway stops reading at a file it cannot tell the encoding of: that is its one problem,
  // and choosing the encoding is its remedy, so it is said at that box rather than the file's.
  const ambiguous = refusedRows && encodingAmbiguity(refusedRows);
  const badRows = ambiguous ? null : refusedRows;
  const fileRefused = badRows !== null || place?.at === "file";
  const encodingRefused = ambiguous !== null || place?.at === "encoding";
  const encodable = takesEncoding(format);
  // The same forms again, saved differently? Unless the administrator says they are other forms.
  const twin = atBoxes && "error" in atBoxes && kind === "SURVEY_FORMS" ? sameFormsTwin(atBoxes.error) : null;
  return (
    <form className="card stack fit" data-testid="import-upload" onSubmit={(e) => void submit(e)}>
      <h2 className="section">{t("imports.upload")}</h2>
      <DraftNote
        name="import"
        restored={draft.restored}
        onDiscard={() => {
          setFile(null);
          setFileBox((k) => k + 1);
          draft.reset();
          edited();
        }}
      />
      <div className="toolbar">
        <Field testId="import-kind" label={t("imports.kind")}>
          {(a) => (
            <select
              {...a}
              value={kind}
              onChange={(e) => {
                draft.edit({ kind: e.target.value });
                edited();
              }}
            >
              {IMPORT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindText(k, t)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          testId="import-file"
          label={t("imports.file")}
          problemAt={fileRefused ? FILE_PROBLEM : awaited ? FILE_AGAIN : undefined}
        >
          {(a) => (
            <input
              {...a}
              key={fileBox}
              type="file"
              accept=".csv,.xlsx,.json,.ndjson,.jsonl"
              onChange={(e) => pick(e.target.files?.[0] ?? null)}
            />
          )}
        </Field>
      </div>
      {awaited && (
        <p className="muted" id={FILE_AGAIN} data-testid={FILE_AGAIN}>
          {t("imports.fileAgain", { name: awaited })}
        </p>
      )}
      {/* Right under the file's box, before the rest of the form: it is the file to mend. */}
      {badRows && <BadRows outcome={badRows} at={FILE_PROBLEM} />}
      {atBoxes && "error" in atBoxes && place?.at === "file" && (
        <div className="stack" data-testid={FILE_PROBLEM}>
          <p id={FILE_PROBLEM}>{t("imports.refusedFile")}</p>
          <ErrorNote error={atBoxes.error} />
        </div>
      )}
      {twin && file && !otherThan.includes(twin) && (
        <div className="notice stack" data-testid="import-other-forms">
          <p>{t("imports.otherFormsHelp", { id: twin })}</p>
          <div>
            <button
              type="button"
              data-testid="import-other-forms-send"
              disabled={busy}
              onClick={() => {
                const next = [...otherThan, twin];
                setOtherThan(next);
                void send(next);
              }}
            >
              {t("imports.otherForms", { id: twin })}
            </button>
          </div>
        </div>
      )}
      {otherThan.length > 0 && kind === "SURVEY_FORMS" && (
        <p className="muted" data-testid="import-other-forms-sent">
          {t("imports.otherFormsSent", {
            ids: otherThan.map((id) => `“${id}”`).join(t("imports.listSeparator")),
          })}
        </p>
      )}
      <p className="muted" data-testid="import-columns">
        {t(`imports.columns.${kind}`)} {headersText(kind, t)}
      </p>
      <div className="toolbar">
        <Field testId="import-format" label={t("imports.format")}>
          {(a) => (
            <select
              {...a}
              value={format}
              onChange={(e) => {
                draft.edit({ format: e.target.value });
                edited();
              }}
            >
              <option value="">—</option>
              {IMPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          testId="import-encoding"
          label={t("imports.encoding")}
          problemAt={encodingRefused ? ENCODING_PROBLEM : undefined}
        >
          {(a) => (
            <select
              {...a}
              aria-describedby={a["aria-describedby"] ?? (encodable ? undefined : ENCODING_NOTE)}
              disabled={!encodable}
              // Shown as detected while disabled: a choice kept from a CSV file is not sent with an XLSX one.
              value={encodable ? encoding : ""}
              onChange={(e) => {
                draft.edit({ encoding: e.target.value });
                edited();
              }}
            >
              <option value="">{t("imports.encoding.detect")}</option>
              {TEXT_ENCODINGS.map((enc) => (
                <option key={enc} value={enc}>
                  {t(`imports.encoding.${enc}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {!encodable && (
        <p className="muted" id={ENCODING_NOTE} data-testid={ENCODING_NOTE}>
          {t("imports.encodingXlsx")}
        </p>
      )}
      {ambiguous && (
        <p className="error" role="alert" id={ENCODING_PROBLEM} data-testid={ENCODING_PROBLEM}>
          {ambiguityText(ambiguous, t)}
        </p>
      )}
      {place?.at === "encoding" && (
        <p className="error" role="alert" id={ENCODING_PROBLEM} data-testid={ENCODING_PROBLEM}>
          {t("imports.refusedEncoding")} {place.messages.join("; ")}
        </p>
      )}
      <div className="toolbar">
        <Field
          testId="import-id"
          label={t("imports.id")}
          problemAt={place?.at === "id" ? ID_PROBLEM : undefined}
        >
          {(a) => (
            <>
              <input
                {...a}
                size={24}
                value={importId}
                onChange={(e) => {
                  draft.edit({ importId: e.target.value });
                  edited();
                }}
              />
              {/* Beside the box, not in its label: the box keeps its name while it says what is wrong. */}
              {place?.at === "id" && (
                <span className="error" role="alert" id={ID_PROBLEM} data-testid={ID_PROBLEM}>
                  {" "}
                  {t("imports.refusedId")} {place.messages.join("; ")}
                </span>
              )}
            </>
          )}
        </Field>
        <button
          type="submit"
          className="primary"
          data-testid="import-submit"
          disabled={busy || !file || !format || !importId.trim()}
        >
          {t("imports.submit")}
        </button>
      </div>
      {file && !format && (
        <p className="muted" data-testid="import-format-unknown">
          {t("imports.formatUnknown", { name: file.name })}
        </p>
      )}
      <p className="muted">{t("imports.idHelp")}</p>
      <StatusRegion>
        {shown && "outcome" in shown && shown.outcome.kind !== "bad-rows" && (
          <p className="ok" data-testid="import-done">
            {summariseImport(shown.outcome, t).text}
          </p>
        )}
      </StatusRegion>
      {atBoxes && "error" in atBoxes && place?.at === "form" && (
        <div data-testid="import-refused">
          {answered(atBoxes.error) && <p>{t("imports.refusedWhole")}</p>}
          <ErrorNote error={atBoxes.error} />
        </div>
      )}
      {shown?.earlier && <EarlierRefusal result={shown} file={shown.earlier} />}
    </form>
  );
}

/**
 * The refusal of a file uploaded while another was picked, said of that file by its name and
 * import id: the boxes hold the other, which it is not about. An upload that got no answer may
 * have gone in: the list, read again, says.
 */
function EarlierRefusal({ result, file }: { result: Result; file: { name: string; importId: string } }) {
  const { t } = useI18n();
  const rows = "outcome" in result && result.outcome.kind === "bad-rows" ? result.outcome : null;
  if (!rows && !("error" in result)) return null;
  const values = { file: file.name, id: file.importId };
  const refused = rows !== null || ("error" in result && answered(result.error));
  return (
    <div className="stack" data-testid="import-earlier-refused">
      <p className="error" role="alert">
        {t(refused ? "imports.refusedEarlier" : "imports.unansweredEarlier", values)}
      </p>
      {rows ? <BadRows outcome={rows} /> : "error" in result && <ErrorNote error={result.error} />}
    </div>
  );
}

/**
 * A file's bad rows by line and column, and by record number for a JSON array (one written on one
 * line has every record on line 1): nothing of it was written. `at`: the id of the file box it
 * describes, if it is the file in that box.
 */
function BadRows({ outcome, at }: { outcome: Extract<ImportOutcome, { kind: "bad-rows" }>; at?: string }) {
  const { t } = useI18n();
  const { text, shown } = summariseImport(outcome, t);
  const numbered = outcome.rows.some((r) => r.record !== null);
  return (
    <div className="stack" data-testid={at}>
      <p className="error" role="alert" id={at}>
        {text}
      </p>
      {shown && <p data-testid="import-shown">{shown}</p>}
      <div className="scroll-x">
        <table data-testid="import-bad-rows">
          <thead>
            <tr>
              {numbered && <th>{t("imports.record")}</th>}
              <th>{t("imports.line")}</th>
              <th>{t("imports.column")}</th>
              <th>{t("imports.message")}</th>
            </tr>
          </thead>
          <tbody>
            {outcome.rows.map((r, i) => (
              // A row may have several problems, even two in one column: the place in the list tells them apart.
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced whole, never reordered
              <tr key={i}>
                {numbered && <td>{r.record ?? ""}</td>}
                {/* Line 0 is the file as a whole (a damaged workbook): no line to look at. */}
                <td>{r.line === 0 ? t("imports.wholeFile") : r.line}</td>
                <td>{r.column ?? ""}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * The cycle's imports, newest first, each removable after a confirmation that names it and the
 * rows it takes out. A refusal (a units import records still refer to) is shown whole.
 */
function ImportList(
  props: Actions & { cycle: Cycle; imports: ImportRecord[]; writable: boolean; onDone: () => void },
) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const asked = useWriteFocus(busy);
  const [done, setDone] = useState<{ text: string; action: number } | null>(null);
  const [refused, setRefused] = useState<{ id: string; error: Error; action: number } | null>(null);
  const label = `${props.cycle.year} · ${props.cycle.name} (${props.cycle.id})`;
  // Where the focus goes once the import it was on leaves the list: its title, not the page.
  const title = useRef<HTMLHeadingElement>(null);
  const remove = async (r: ImportRecord) => {
    asked();
    const rows = rowsText(r.rows, t);
    if (
      !window.confirm(t("imports.confirmRemove", { id: r.id, kind: kindText(r.kind, t), rows, cycle: label }))
    )
      return;
    const action = props.begin();
    setBusy(true);
    setDone(null);
    setRefused(null);
    try {
      const removed = await removeImport(r.id);
      setDone({ text: t("imports.removed", { id: r.id, rows: rowsText(removed, t) }), action });
      title.current?.focus();
      props.onDone();
    } catch (e) {
      setRefused({ id: r.id, error: e as Error, action });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card stack">
      <h2 className="section" ref={title} tabIndex={-1}>
        {t("imports.list")}
      </h2>
      {props.imports.length === 0 ? (
        <p className="muted" data-testid="imports-none">
          {t("imports.none")}
        </p>
      ) : (
        <div className="scroll-x">
          <table data-testid="import-list">
            <thead>
              <tr>
                <th>{t("imports.id")}</th>
                <th>{t("imports.kind")}</th>
                <th>{t("imports.format")}</th>
                <th>{t("imports.rowCount")}</th>
                <th>{t("imports.actor")}</th>
                <th>{t("imports.when")}</th>
                {props.writable && <th />}
              </tr>
            </thead>
            <tbody>
              {props.imports.map((r) => (
                <tr key={r.id} data-import={r.id}>
                  <td>
                    <code title={r.fileHash}>{r.id}</code>
                  </td>
                  <td>{kindText(r.kind, t)}</td>
                  <td>{r.format}</td>
                  <td>{r.rows}</td>
                  <td>{r.actor}</td>
                  <td>{formatDateTime(r.createdAt, lang)}</td>
                  {props.writable && (
                    <td>
                      <button
                        type="button"
                        data-testid="import-remove"
                        aria-label={t("imports.removeLabel", { id: r.id })}
                        disabled={busy}
                        onClick={() => void remove(r)}
                      >
                        {t("imports.remove")}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {refused?.action === props.latest && (
        <div data-testid="import-remove-refused">
          <p>{t("imports.removeRefused", { id: refused.id })}</p>
          <ErrorNote error={refused.error} />
        </div>
      )}
      <StatusRegion>
        {done?.action === props.latest && (
          <p className="ok" data-testid="import-removed">
            {done.text}
          </p>
        )}
      </StatusRegion>
    </div>
  );
}

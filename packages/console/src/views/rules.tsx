import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError } from "../api";
import { cyclesOnVersion } from "../cycles-on-version";
import { forgetDraft, loadDraft, type StoredDraft, saveDraft } from "../draft-store";
import { useI18n } from "../i18n";
import { jsonErrorWithLine, lineOfPath, pathInDraft } from "../json-position";
import { type Cycle, loadCycles } from "../queries";
import { updateParams, useRoute } from "../router";
import {
  type DraftDiff,
  type Impact,
  loadDiff,
  loadDocument,
  loadDraftDiff,
  loadHistory,
  loadSchemes,
  type Movement,
  type NoBefore,
  previewImpact,
  publish,
  type SchemeMaximum,
  sameRules,
} from "../rules-api";
import { type QueryState, useQuery } from "../use-query";
import { ChangeTable } from "./change-table";
import { ErrorNote, failedRead } from "./cycle-picker";
import { Field } from "./labelled-field";
import { PublishConfirmation } from "./publish-confirmation";
import { SchemeVersionRow, WithdrawnStatus } from "./scheme-version-row";
import { StatusRegion } from "./status-region";
import { useWriteFocus } from "./use-write-focus";

/** Scheme versions: history, a readable diff, and a draft to validate, preview and publish. */
export function Rules() {
  const { t } = useI18n();
  const { params } = useRoute();
  const schemes = useQuery("schemes", () => loadSchemes());
  const schemeId = params.get("scheme") ?? schemes.data?.[0]?.schemeId ?? null;
  const [revision, setRevision] = useState(0);
  // The last withdrawal made here, said in the history's status region while its scheme is shown.
  const [withdrawal, setWithdrawal] = useState<{ schemeId: string; version: number } | null>(null);
  const history = useQuery(schemeId ? JSON.stringify([schemeId, revision]) : null, (s) =>
    loadHistory(schemeId!, s),
  );
  // While another scheme's history loads, `history.data` is the previous scheme's: its versions
  // are not this scheme's (nor is its diff). Reloaded after a publish, it is this scheme's still.
  const versions =
    (history.key !== null && JSON.parse(history.key)[0] === schemeId ? history.data : null) ?? [];
  const latest = versions.at(-1)?.version ?? null;
  // Which cycles are on each version, read again with the history: Withdraw is refused for them.
  // Unread (or failed), none is assumed, and the gateway's refusal still names them. The draft's
  // preview picks among the open ones of this same read.
  const cycles = useQuery("cycles", (s) => loadCycles(s), revision);

  return (
    <section className="page stack">
      <div className="toolbar">
        <label>
          {t("rules.scheme")}{" "}
          <select
            data-testid="scheme"
            value={schemeId ?? ""}
            onChange={(e) => updateParams({ scheme: e.target.value, from: null, to: null })}
          >
            {(schemes.data ?? []).map((s) => (
              <option key={s.schemeId} value={s.schemeId}>
                {s.schemeId}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote {...failedRead(schemes, history)} />
      <div className="grid2">
        <div className="card">
          <h2 className="section">{t("rules.history")}</h2>
          <table data-testid="history">
            <thead>
              <tr>
                <th className="num">{t("rules.version")}</th>
                <th>{t("rules.date")}</th>
                <th>{t("rules.author")}</th>
                <th>{t("rules.reason")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <SchemeVersionRow
                  key={v.version}
                  schemeId={schemeId!}
                  version={v}
                  cyclesOn={cyclesOnVersion(cycles.data ?? [], schemeId!, v.version)}
                  onChanged={() => setRevision((r) => r + 1)}
                  onWithdrawn={(version) => {
                    setWithdrawal({ schemeId: schemeId!, version });
                    setRevision((r) => r + 1);
                  }}
                />
              ))}
            </tbody>
          </table>
          <StatusRegion>
            {withdrawal !== null && withdrawal.schemeId === schemeId && (
              <WithdrawnStatus version={withdrawal.version} />
            )}
          </StatusRegion>
        </div>
        {schemeId && versions.length > 0 && (
          <Diff
            schemeId={schemeId}
            versions={versions.map((v) => v.version)}
            withdrawn={new Set(versions.filter((v) => v.withdrawn).map((v) => v.version))}
          />
        )}
      </div>
      {schemeId && latest !== null && (
        // A draft belongs to its scheme: its text, reason and preview cycle start afresh on another.
        <Draft
          key={schemeId}
          schemeId={schemeId}
          latest={latest}
          cycles={cycles}
          onPublished={() => setRevision((r) => r + 1)}
        />
      )}
    </section>
  );
}

/** Any two versions compare, a withdrawn one too (to see what was wrong with it): marked as such. */
export function Diff({
  schemeId,
  versions,
  withdrawn,
}: {
  schemeId: string;
  versions: number[];
  withdrawn: ReadonlySet<number>;
}) {
  const { t } = useI18n();
  const { params } = useRoute();
  const last = versions.at(-1)!;
  const to = Number(params.get("to") ?? last);
  const from = Number(params.get("from") ?? Math.max(versions[0]!, to - 1));
  const diff = useQuery(`${schemeId}|${from}|${to}`, (s) => loadDiff(schemeId, from, to, s));
  // Not `data`: the versions picked before keep their diff there while these ones' loads.
  const changes = diff.current;
  const pick = (name: "from" | "to", value: number) => (
    <select
      data-testid={`diff-${name}`}
      aria-label={`${t("rules.diff")}: ${t(name === "from" ? "rules.diffFrom" : "rules.diffTo")}`}
      value={value}
      onChange={(e) => updateParams({ [name]: e.target.value })}
    >
      {versions.map((v) => (
        <option key={v} value={v}>
          {withdrawn.has(v) ? t("rules.diffWithdrawnVersion", { version: v }) : v}
        </option>
      ))}
    </select>
  );
  return (
    <div className="card">
      <h2 className="section">
        {t("rules.diff")}: {t("rules.diffFrom")} {pick("from", from)} {t("rules.diffTo")} {pick("to", to)}
      </h2>
      <ErrorNote {...failedRead(diff)} />
      {diff.loading && !changes && <p>{t("loading")}</p>}
      {changes && changes.length === 0 && <p className="muted">{t("rules.noDiff")}</p>}
      {changes && changes.length > 0 && (
        <div className="scroll-x">
          <ChangeTable changes={changes} />
        </div>
      )}
    </div>
  );
}

/** A problem the gateway found in the draft: where in it, and on which line of the text sent. */
export interface DraftIssue {
  path: string;
  line: number | null;
  message: string;
}

export type Outcome =
  | { kind: "json"; message: string }
  | { kind: "error"; error: Error }
  /** `created`: the publish asked to create the scheme (basedOn null), which already exists. */
  | { kind: "conflict"; message: string; created: boolean }
  /**
   * Refused for the draft's content; `detail` is the gateway's message, for support. `stale`: the
   * draft was edited since, so the problems (and their lines) are those of an earlier text.
   */
  | {
      kind: "document";
      issues: DraftIssue[];
      unchangedFrom: number | null;
      detail: string;
      stale?: boolean;
    }
  | { kind: "preview"; impact: Impact }
  /** What the draft changes, asked before it is published: an edit since takes it away. */
  | { kind: "confirm"; diff: DraftDiff }
  | { kind: "published"; version: number };

/**
 * What the page says of a failed preview or publish of `text`; `basedOn` is what a publish sent
 * (undefined for a preview).
 */
export function failureOutcome(error: Error, text: string, basedOn?: number | null): Outcome {
  if (error instanceof ApiError && error.code === "CONFLICT")
    // basedOn null asks to create the scheme, and this page drafts only schemes that exist: the
    // draft never got the version it is based on (loading it failed), which is no race.
    return { kind: "conflict", message: error.message, created: basedOn === null };
  return documentRefusal(error, text) ?? { kind: "error", error };
}

/**
 * What stays on screen once the draft's text changes. A preview's impact, a JSON error's line, a
 * failure or a publish were the previous text's: shown on, they would pass for this one's. The
 * draft's problems stay, marked as the earlier text's, while the administrator works through
 * them; a conflict is about the version the draft is based on, which an edit does not change.
 */
export function afterEdit(outcome: Outcome | null): Outcome | null {
  if (outcome?.kind === "document") return { ...outcome, stale: true };
  return outcome?.kind === "conflict" ? outcome : null;
}

/**
 * What a preview or publish asked of `asked` says once it ends, the draft being `now`: the boxes
 * may have changed while the gateway worked. An edit of the text weighs on the outcome as it would
 * have on one already shown (`afterEdit`); another cycle, on a preview's impact. A publish went
 * ahead whatever was typed since: it is said.
 */
export function settledOutcome(
  outcome: Outcome,
  asked: { text: string; cycleId: string },
  now: { text: string; cycleId: string },
): Outcome | null {
  if (outcome.kind === "published") return outcome;
  if (now.text !== asked.text) return afterEdit(outcome);
  return outcome.kind === "preview" && now.cycleId !== asked.cycleId ? null : outcome;
}

/** A ValidationError every issue of which is about the draft, as the editor shows it; else null. */
function documentRefusal(error: Error, text: string): Outcome | null {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION" || error.issues.length === 0) return null;
  const issues: DraftIssue[] = [];
  // The gateway names every problem of a publication at once: one of another field (a reason of
  // punctuation alone) is listed beside the draft's, by its own path, with no line.
  const others: DraftIssue[] = [];
  let unchangedFrom: number | null = null;
  for (const issue of error.issues) {
    const path = pathInDraft(issue.path);
    if (path === null) {
      others.push({ path: issue.path, line: null, message: issue.message });
      continue;
    }
    // The gateway's words for a draft equal to its basedOn (it has no code of its own): the
    // console says it in the reader's language.
    const unchanged = path === "" ? /^nothing changed from version (\d+)\b/.exec(issue.message) : null;
    if (unchanged) unchangedFrom = Number(unchanged[1]);
    else issues.push({ path, line: lineOfPath(text, path), message: issue.message });
  }
  if (issues.length === 0 && unchangedFrom === null) return null;
  return { kind: "document", issues: [...issues, ...others], unchangedFrom, detail: error.message };
}

function Draft(props: {
  schemeId: string;
  latest: number;
  /** The Rules page's read of the cycles: the open ones of this scheme are the preview's choices. */
  cycles: QueryState<Cycle[]>;
  onPublished: () => void;
}) {
  const { t } = useI18n();
  // A draft kept from before an expired session (or a visit to another page) comes back as it was.
  const [restored] = useState(() => loadDraft(props.schemeId));
  const [basedOn, setBasedOn] = useState<number | null>(restored?.basedOn ?? null);
  // The version the draft is based on, as published: a draft with its rules has nothing to publish.
  const [base, setBase] = useState<{ version: number; document: unknown; withdrawn: boolean } | null>(null);
  const [text, setText] = useState(restored?.text ?? "");
  // The text as the gateway has it (read into the box, or published from it): a draft that
  // differs holds the administrator's typing. A draft kept from before is all their typing.
  const [stored, setStored] = useState<string | null>(restored ? null : "");
  const [reason, setReason] = useState(restored?.reason ?? "");
  const [showRestored, setShowRestored] = useState(restored !== null);
  const [cycleId, setCycleId] = useState<string>("");
  const [busy, setBusy] = useState(false);
  // Not `asked`: that is what a preview or publish was asked for, below.
  const settleFocus = useWriteFocus(busy);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const publishButton = useRef<HTMLButtonElement>(null);
  // The text the gateway last accepted in a preview. Publish goes ahead on that text only: an edit
  // after the preview (a slip in the maximum, say) has not been seen by anyone.
  const [previewed, setPreviewed] = useState<string | null>(null);
  // What the boxes hold now, for a preview or publish that ends after they changed.
  const now = useRef({ text, cycleId });
  now.current = { text, cycleId };
  const { cycles } = props;
  const usable = (cycles.data ?? []).filter((c) => c.schemeId === props.schemeId && c.status === "OPEN");
  // A scheme no open cycle is scored under has nothing to preview on: its drafts are published as
  // before, judged by the gateway alone. Until the cycles are known, one may be.
  const needsPreview = cycles.data === null ? cycles.error === null : usable.length > 0;
  const previewFirst = needsPreview && previewed !== text;
  useEffect(() => {
    if (!cycleId && usable[0]) setCycleId(usable[0].id);
  }, [cycleId, usable]);

  // A version is being read into the box (on opening, unless a kept draft came back): text typed
  // there meanwhile would be replaced when it arrives, so the box takes none until then.
  const [reading, setReading] = useState(restored === null);
  const reads = useRef(0);
  const edit = async () => {
    reads.current += 1;
    setReading(true);
    try {
      const { version, document, withdrawn } = await loadDocument(props.schemeId);
      setBase({ version, document: structuredClone(document), withdrawn });
      // The draft will be the next version; its own `version` field says so.
      const doc = document as Record<string, unknown>;
      if (typeof doc.version === "number") doc.version = version + 1;
      setBasedOn(version);
      const read = JSON.stringify(doc, null, 2);
      setText(read);
      setStored(read);
      setOutcome(null);
      forgetDraft(props.schemeId);
      setShowRestored(false);
    } catch (e) {
      // Callers fire and forget: without this the button would silently do nothing.
      setOutcome({ kind: "error", error: e as Error });
    } finally {
      reads.current -= 1;
      setReading(reads.current > 0);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload only when the scheme changes
  useEffect(() => {
    if (!restored) void edit();
  }, [props.schemeId]);
  /**
   * "Edit latest" and a conflict's Reload put the latest version in the box: what was typed there
   * goes only once the administrator says so, as the console asks before any loss it cannot undo.
   */
  const editLatest = () => {
    if (text !== stored && !window.confirm(t("rules.confirmReplace", { v: basedOn ?? "—" }))) return;
    void edit();
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a restored draft's base, read once
  useEffect(() => {
    if (restored?.basedOn == null) return;
    let current = true;
    loadDocument(props.schemeId, restored.basedOn).then(
      ({ version, document, withdrawn }) => {
        // "Edit latest" may have set another base meanwhile: that one is the draft's now.
        if (current) setBase((b) => b ?? { version, document, withdrawn });
      },
      // Unread, the draft is not known to be unchanged: Publish stays, and the gateway judges.
      () => {},
    );
    return () => {
      current = false;
    };
  }, []);
  // A withdrawn version's rules again are what a withdrawal leaves to do to use them again.
  const restoresWithdrawn = base !== null && base.version === basedOn && base.withdrawn;
  const unchanged = useMemo(() => {
    if (base === null || base.version !== basedOn || base.withdrawn) return false;
    try {
      return sameRules(JSON.parse(text), base.document);
    } catch {
      return false;
    }
  }, [text, base, basedOn]);
  // Only the administrator's own edits are kept: a loaded version is always on the gateway.
  const keep = (changes: Partial<StoredDraft>) =>
    saveDraft(props.schemeId, { basedOn, text, reason, ...changes });

  const parse = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      setOutcome({ kind: "json", message: jsonErrorWithLine(text, e as Error) });
      return undefined;
    }
  };
  /** Runs a preview (`sent` undefined) or a publish based on `sent`. */
  const act = async (fn: (doc: unknown) => Promise<Outcome>, sent?: number | null) => {
    settleFocus();
    const doc = parse();
    if (doc === undefined) return;
    const asked = { text, cycleId };
    setBusy(true);
    let outcome: Outcome;
    try {
      outcome = await fn(doc);
    } catch (e) {
      outcome = failureOutcome(e as Error, text, sent);
    } finally {
      setBusy(false);
    }
    setOutcome(settledOutcome(outcome, asked, now.current));
  };

  return (
    <div className="card stack" data-testid="draft">
      <div className="toolbar">
        <h2 className="section">{t("rules.draft", { v: basedOn ?? "—" })}</h2>
        <span className="spacer" />
        <button type="button" onClick={editLatest}>
          {t("rules.editLatest")}
        </button>
      </div>
      {showRestored && (
        <p className="muted" data-testid="draft-restored">
          {t("rules.restored", { v: basedOn ?? "—" })}
        </p>
      )}
      <textarea
        data-testid="draft-json"
        aria-label={t("rules.draft", { v: basedOn ?? "—" })}
        aria-invalid={(outcome?.kind === "document" && !outcome.stale) || outcome?.kind === "json"}
        aria-describedby={outcome?.kind === "document" ? "draft-issues" : undefined}
        rows={18}
        spellCheck={false}
        readOnly={reading}
        aria-busy={reading}
        placeholder={reading ? t("loading") : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          keep({ text: e.target.value });
          setOutcome(afterEdit);
        }}
      />
      {outcome?.kind === "document" && (
        <DocumentIssues
          issues={outcome.issues}
          unchangedFrom={outcome.unchangedFrom}
          detail={outcome.detail}
          stale={outcome.stale ?? false}
        />
      )}
      <div className="toolbar">
        <label>
          {t("rules.previewCycle")}{" "}
          <select
            data-testid="preview-cycle"
            value={cycleId}
            onChange={(e) => {
              setCycleId(e.target.value);
              // The impact shown is the other cycle's.
              setOutcome((o) => (o?.kind === "preview" ? null : o));
            }}
          >
            {usable.map((c) => (
              <option key={c.id} value={c.id}>
                {c.year} · {c.id}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="preview"
          disabled={busy || reading || !cycleId}
          onClick={() => {
            const sent = text;
            void act(async (doc) => {
              const impact = await previewImpact(cycleId, doc);
              setPreviewed(sent);
              return { kind: "preview", impact };
            });
          }}
        >
          {t("rules.preview")}
        </button>
        <span className="spacer" />
        {unchanged && (
          <span className="muted" data-testid="unchanged">
            {t("rules.unchanged", { v: basedOn ?? "—" })}
          </span>
        )}
        {!unchanged && previewFirst && (
          <span className="muted" data-testid="preview-first">
            {t("rules.previewFirst")}
          </span>
        )}
        <Field testId="reason" label={t("rules.publishReason")}>
          {(a) => (
            <input
              {...a}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                keep({ reason: e.target.value });
              }}
              // As wide as a reason needs, but never wider than a phone.
              style={{ minWidth: "min(320px, 100%)" }}
            />
          )}
        </Field>
        <button
          type="button"
          className="primary"
          data-testid="publish"
          ref={publishButton}
          disabled={busy || reading || !reason.trim() || unchanged || previewFirst}
          onClick={() =>
            act(async (doc) => {
              const diff = await loadDraftDiff(props.schemeId, doc, basedOn);
              // Said at the editor, as the gateway's refusal of such a publish would be.
              if (diff.changes.length === 0 && !restoresWithdrawn)
                return {
                  kind: "document",
                  issues: [],
                  unchangedFrom: diff.from,
                  detail: `schemeDraftDiff: no changes against version ${diff.from}`,
                };
              return { kind: "confirm", diff };
            }, basedOn)
          }
        >
          {t("rules.publish")}
        </button>
      </div>
      {outcome?.kind === "confirm" && (
        <PublishConfirmation
          diff={outcome.diff}
          restoresWithdrawn={restoresWithdrawn}
          reason={reason}
          busy={busy}
          onBack={() => {
            setOutcome(null);
            publishButton.current?.focus();
          }}
          onPublish={() => {
            // The question goes once answered: the focus settles from Publish, as after a refusal.
            publishButton.current?.focus();
            void act(async (doc) => {
              const version = await publish({ schemeId: props.schemeId, basedOn, document: doc, reason });
              forgetDraft(props.schemeId);
              setReason("");
              setBasedOn(version);
              // What was sent is on the gateway now; typing since is not.
              setStored(text);
              // The gateway stores the draft as it was sent, but for its `version`.
              setBase({ version, document: doc, withdrawn: false });
              props.onPublished();
              return { kind: "published", version };
            }, basedOn);
          }}
        />
      )}
      <StatusRegion>
        {outcome?.kind === "published" && (
          <p className="ok" data-testid="published">
            {t("rules.published", { v: outcome.version })}
          </p>
        )}
        {outcome?.kind === "preview" && <p className="ok">{t("rules.valid")}</p>}
      </StatusRegion>
      <OutcomeView outcome={outcome} onReload={editLatest} />
    </div>
  );
}

function OutcomeView({ outcome, onReload }: { outcome: Outcome | null; onReload: () => void }) {
  const { t } = useI18n();
  if (!outcome) return null;
  switch (outcome.kind) {
    case "document":
      return null; // shown at the editor
    case "json":
      return (
        <p className="error" role="alert">
          {t("rules.jsonError", { message: outcome.message })}
        </p>
      );
    case "error":
      return <ErrorNote error={outcome.error} />;
    case "conflict":
      return (
        <div className="error conflict" role="alert" data-testid="conflict">
          <strong>{t(outcome.created ? "rules.conflictCreated" : "rules.conflict")}</strong>
          <div className="muted">{outcome.message}</div>
          <button type="button" onClick={onReload}>
            {t("rules.reload")}
          </button>
        </div>
      );
    case "published":
      return null; // said in the draft's status region
    case "confirm":
      return null; // asked under the Publish button
    case "preview":
      // That the server accepted the draft is said in the draft's status region, above this.
      return (
        <div data-testid="impact">
          <SecrecyLifted issues={outcome.impact.secrecyLifted} />
          <Maximum maximum={outcome.impact.maximum} />
          {outcome.impact.noBefore ? (
            <DraftStandings
              noBefore={outcome.impact.noBefore}
              standings={outcome.impact.movements}
              count={outcome.impact.movementCount}
            />
          ) : (
            <Movements movements={outcome.impact.movements} count={outcome.impact.movementCount} />
          )}
        </div>
      );
  }
}

/** The draft's problems, by their place in it: where the administrator will fix them. */
export function DocumentIssues(props: {
  issues: DraftIssue[];
  unchangedFrom: number | null;
  detail: string;
  /** Found in an earlier text of the draft: kept to work through, but not this text's verdict. */
  stale?: boolean;
}) {
  const { t } = useI18n();
  return (
    <div
      className={props.stale ? "error stale" : "error"}
      role="alert"
      id="draft-issues"
      data-testid="draft-issues"
      data-stale={props.stale ?? false}
      title={props.detail}
    >
      {props.stale && <p>{t("rules.issuesStale")}</p>}
      {props.unchangedFrom !== null && <p>{t("rules.unchanged", { v: props.unchangedFrom })}</p>}
      {props.issues.length > 0 && (
        <>
          {t("rules.issues")}
          <ul>
            {props.issues.map((i) => {
              const vars = { path: i.path || t("rules.wholeDraft"), message: i.message };
              return (
                <li key={`${i.path}:${i.message}`}>
                  {i.line === null
                    ? t("rules.issueAtNoLine", vars)
                    : t("rules.issueAt", { ...vars, line: i.line })}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * The secret votes whose secrecy moving the cycle to the draft would lift, before it is published:
 * the Move form would be refused unless forced, and the one to decide that is reading this now.
 * Nothing when it lifts none.
 */
export function SecrecyLifted({ issues }: { issues: readonly { path: string; message: string }[] }) {
  const { t } = useI18n();
  if (issues.length === 0) return null;
  return (
    <div className="notice" data-testid="secrecy-lifted">
      <p>
        <strong>{t("rules.secrecyLifted", { move: t("cycles.move"), force: t("cycles.moveForce") })}</strong>
      </p>
      <ul>
        {issues.map((i) => (
          <li key={i.message}>{i.message}</li>
        ))}
      </ul>
    </div>
  );
}

/** The most a total can be, before and after: a change may be a reform, or a slip to catch. */
export function Maximum({ maximum }: { maximum: SchemeMaximum }) {
  const { t } = useI18n();
  // The engine writes an exact value one way only ("100", never "100.0"): equal strings, equal values.
  const changed = maximum.before !== maximum.after;
  return (
    <p data-testid="maximum" data-changed={changed}>
      {changed ? (
        <>
          <strong className="flag severe">
            {t("rules.maximum", { before: maximum.before, after: maximum.after })}
          </strong>{" "}
          <span className="muted">{t("rules.maximumChanged")}</span>
        </>
      ) : (
        <span className="muted">{t("rules.maximumSame", { max: maximum.after })}</span>
      )}
    </p>
  );
}

/**
 * A preview on a cycle its current version cannot score: nothing to compare the draft with, so
 * why (the gateway's words, each record named), then the draft's standings alone, in its order.
 */
export function DraftStandings({
  noBefore,
  standings,
  count,
}: {
  noBefore: NoBefore;
  standings: Movement[];
  count: number;
}) {
  const { t } = useI18n();
  // The message names the first few records; the rest are listed under it, once each.
  const more = noBefore.issues.filter((i) => !noBefore.message.includes(i.message));
  return (
    <>
      <div className="notice" data-testid="no-before">
        <p>
          <strong>{t("rules.noBefore")}</strong>
        </p>
        <p>{noBefore.message}</p>
        {more.length > 0 && (
          <ul>
            {more.map((i) => (
              <li key={`${i.path}:${i.message}`}>{i.message}</li>
            ))}
          </ul>
        )}
      </div>
      {count > standings.length ? (
        <p className="muted" data-testid="standings-shown">
          {t("rules.standingsShown", {
            shown: standings.length.toLocaleString(),
            count: count.toLocaleString(),
          })}
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>{t("unit")}</th>
            <th>{t("group")}</th>
            <th className="num">{t("rank")}</th>
            <th className="num">{t("total")}</th>
            <th>{t("grade")}</th>
          </tr>
        </thead>
        <tbody>
          {standings.map((s) => (
            <tr key={s.unitId}>
              <td>{s.name}</td>
              <td>{s.group}</td>
              <td className="num">{s.after?.rank ?? "—"}</td>
              <td className="num">{s.after?.total ?? "—"}</td>
              <td>{s.after?.grade ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function Movements({ movements, count }: { movements: Movement[]; count?: number }) {
  const { t } = useI18n();
  return (
    <>
      {count !== undefined && count > movements.length ? (
        <p className="muted" data-testid="movements-shown">
          {t("rules.movementsShown", {
            shown: movements.length.toLocaleString(),
            count: count.toLocaleString(),
          })}
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>{t("unit")}</th>
            <th className="num">{t("whatif.baseline")}</th>
            <th className="num">{t("whatif.scenario")}</th>
            <th className="num">Δ {t("rank")}</th>
            <th className="num">Δ {t("total")}</th>
            <th>{t("rules.causes")}</th>
          </tr>
        </thead>
        <tbody>
          {movements.map((m) => (
            <tr key={m.unitId} className={m.before?.grade !== m.after?.grade ? "changed-grade" : ""}>
              <td>{m.name}</td>
              <td className="num">
                {m.before?.rank ?? "—"} · {m.before?.total ?? "—"} · {m.before?.grade ?? ""}
              </td>
              <td className="num">
                {m.after?.rank ?? "—"} · {m.after?.total ?? "—"} · {m.after?.grade ?? ""}
              </td>
              <td className={`num ${m.rankDelta ? (m.rankDelta < 0 ? "up" : "down") : ""}`}>
                {/* null: unranked on a side (e.g. now insufficient), which is not "kept its rank" */}
                {m.rankDelta === null
                  ? "—"
                  : m.rankDelta === 0
                    ? "="
                    : m.rankDelta < 0
                      ? `↑${-m.rankDelta}`
                      : `↓${m.rankDelta}`}
              </td>
              <td className="num">{m.totalDelta ?? "—"}</td>
              <td className="muted">{m.causes.join("; ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

import { useEffect, useState } from "react";
import { ApiError } from "../api";
import { forgetDraft, loadDraft, type StoredDraft, saveDraft } from "../draft-store";
import { formatDateTime } from "../format";
import { useI18n } from "../i18n";
import { jsonErrorWithLine } from "../json-position";
import { loadCycles } from "../queries";
import { updateParams, useRoute } from "../router";
import {
  loadDiff,
  loadDocument,
  loadHistory,
  loadSchemes,
  type Movement,
  previewImpact,
  publish,
  type SchemeChange,
} from "../rules-api";
import { useQuery } from "../use-query";
import { ErrorNote } from "./cycle-picker";

/** Scheme versions: history, a readable diff, and a draft to validate, preview and publish. */
export function Rules() {
  const { t, lang } = useI18n();
  const { params } = useRoute();
  const schemes = useQuery("schemes", () => loadSchemes());
  const schemeId = params.get("scheme") ?? schemes.data?.[0]?.schemeId ?? null;
  const [revision, setRevision] = useState(0);
  const history = useQuery(schemeId ? JSON.stringify([schemeId, revision]) : null, (s) =>
    loadHistory(schemeId!, s),
  );
  // While another scheme's history loads, `history.data` is the previous scheme's: its versions
  // are not this scheme's (nor is its diff). Reloaded after a publish, it is this scheme's still.
  const versions =
    (history.key !== null && JSON.parse(history.key)[0] === schemeId ? history.data : null) ?? [];
  const latest = versions.at(-1)?.version ?? null;

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
      <ErrorNote error={schemes.error ?? history.error} />
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
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr key={v.version}>
                  <td className="num">{v.version}</td>
                  <td>{formatDateTime(v.createdAt, lang)}</td>
                  <td>{v.author}</td>
                  <td>{v.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {schemeId && versions.length > 0 && (
          <Diff schemeId={schemeId} versions={versions.map((v) => v.version)} />
        )}
      </div>
      {schemeId && latest !== null && (
        // A draft belongs to its scheme: its text, reason and preview cycle start afresh on another.
        <Draft
          key={schemeId}
          schemeId={schemeId}
          latest={latest}
          onPublished={() => setRevision((r) => r + 1)}
        />
      )}
    </section>
  );
}

function Diff({ schemeId, versions }: { schemeId: string; versions: number[] }) {
  const { t } = useI18n();
  const { params } = useRoute();
  const last = versions.at(-1)!;
  const to = Number(params.get("to") ?? last);
  const from = Number(params.get("from") ?? Math.max(versions[0]!, to - 1));
  const diff = useQuery(`${schemeId}|${from}|${to}`, (s) => loadDiff(schemeId, from, to, s));
  const pick = (name: "from" | "to", value: number) => (
    <select
      data-testid={`diff-${name}`}
      aria-label={`${t("rules.diff")}: ${t(name === "from" ? "rules.diffFrom" : "rules.diffTo")}`}
      value={value}
      onChange={(e) => updateParams({ [name]: e.target.value })}
    >
      {versions.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
  return (
    <div className="card">
      <h2 className="section">
        {t("rules.diff")}: {t("rules.diffFrom")} {pick("from", from)} {t("rules.diffTo")} {pick("to", to)}
      </h2>
      <ErrorNote error={diff.error} />
      {diff.data && diff.data.length === 0 && <p className="muted">{t("rules.noDiff")}</p>}
      {diff.data && diff.data.length > 0 && <ChangeTable changes={diff.data} />}
    </div>
  );
}

const show = (v: unknown) =>
  v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);

function ChangeTable({ changes }: { changes: SchemeChange[] }) {
  const { t } = useI18n();
  return (
    <table data-testid="diff">
      <thead>
        <tr>
          <th>{t("rules.path")}</th>
          <th />
          <th>{t("rules.before")}</th>
          <th>{t("rules.after")}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path} className={`change-${c.kind.toLowerCase()}`}>
            <td>
              <code>{c.path}</code>
            </td>
            <td>{t(`rules.change.${c.kind}`)}</td>
            <td className="before">
              <pre className="json">{show(c.before)}</pre>
            </td>
            <td className="after">
              <pre className="json">{show(c.after)}</pre>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Outcome =
  | { kind: "json"; message: string }
  | { kind: "error"; error: Error }
  | { kind: "conflict"; message: string }
  | { kind: "preview"; movements: Movement[] }
  | { kind: "published"; version: number };

function Draft(props: { schemeId: string; latest: number; onPublished: () => void }) {
  const { t } = useI18n();
  // A draft kept from before an expired session (or a visit to another page) comes back as it was.
  const [restored] = useState(() => loadDraft(props.schemeId));
  const [basedOn, setBasedOn] = useState<number | null>(restored?.basedOn ?? null);
  const [text, setText] = useState(restored?.text ?? "");
  const [reason, setReason] = useState(restored?.reason ?? "");
  const [showRestored, setShowRestored] = useState(restored !== null);
  const [cycleId, setCycleId] = useState<string>("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const cycles = useQuery("cycles", (s) => loadCycles(s));
  const usable = (cycles.data ?? []).filter((c) => c.schemeId === props.schemeId && c.status === "OPEN");
  useEffect(() => {
    if (!cycleId && usable[0]) setCycleId(usable[0].id);
  }, [cycleId, usable]);

  const edit = async () => {
    try {
      const { version, document } = await loadDocument(props.schemeId);
      // The draft will be the next version; its own `version` field says so.
      const doc = document as Record<string, unknown>;
      if (typeof doc.version === "number") doc.version = version + 1;
      setBasedOn(version);
      setText(JSON.stringify(doc, null, 2));
      setOutcome(null);
      forgetDraft(props.schemeId);
      setShowRestored(false);
    } catch (e) {
      // Callers fire and forget: without this the button would silently do nothing.
      setOutcome({ kind: "error", error: e as Error });
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload only when the scheme changes
  useEffect(() => {
    if (!restored) void edit();
  }, [props.schemeId]);
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
  const act = async (fn: (doc: unknown) => Promise<Outcome>) => {
    const doc = parse();
    if (doc === undefined) return;
    setBusy(true);
    try {
      setOutcome(await fn(doc));
    } catch (e) {
      setOutcome(
        e instanceof ApiError && e.code === "CONFLICT"
          ? { kind: "conflict", message: e.message }
          : { kind: "error", error: e as Error },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card stack" data-testid="draft">
      <div className="toolbar">
        <h2 className="section">{t("rules.draft", { v: basedOn ?? "—" })}</h2>
        <span className="spacer" />
        <button type="button" onClick={() => void edit()}>
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
        rows={18}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          keep({ text: e.target.value });
        }}
      />
      <div className="toolbar">
        <label>
          {t("rules.previewCycle")}{" "}
          <select data-testid="preview-cycle" value={cycleId} onChange={(e) => setCycleId(e.target.value)}>
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
          disabled={busy || !cycleId}
          onClick={() =>
            act(async (doc) => ({ kind: "preview", movements: await previewImpact(cycleId, doc) }))
          }
        >
          {t("rules.preview")}
        </button>
        <span className="spacer" />
        <input
          data-testid="reason"
          placeholder={t("rules.publishReason")}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            keep({ reason: e.target.value });
          }}
          style={{ minWidth: 320 }}
        />
        <button
          type="button"
          className="primary"
          data-testid="publish"
          disabled={busy || !reason.trim()}
          onClick={() =>
            act(async (doc) => {
              const version = await publish({ schemeId: props.schemeId, basedOn, document: doc, reason });
              forgetDraft(props.schemeId);
              setReason("");
              setBasedOn(version);
              props.onPublished();
              return { kind: "published", version };
            })
          }
        >
          {t("rules.publish")}
        </button>
      </div>
      <OutcomeView outcome={outcome} onReload={() => void edit()} />
    </div>
  );
}

function OutcomeView({ outcome, onReload }: { outcome: Outcome | null; onReload: () => void }) {
  const { t } = useI18n();
  if (!outcome) return null;
  switch (outcome.kind) {
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
          <strong>{t("rules.conflict")}</strong>
          <div className="muted">{outcome.message}</div>
          <button type="button" onClick={onReload}>
            {t("rules.reload")}
          </button>
        </div>
      );
    case "published":
      return (
        <p className="ok" data-testid="published">
          {t("rules.published", { v: outcome.version })}
        </p>
      );
    case "preview":
      return <Movements movements={outcome.movements} />;
  }
}

export function Movements({ movements }: { movements: Movement[] }) {
  const { t } = useI18n();
  return (
    <div data-testid="impact">
      <p className="ok">{t("rules.valid")}</p>
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
    </div>
  );
}

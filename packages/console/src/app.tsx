import { Suspense, useEffect, useMemo, useState } from "react";
import { setUnauthenticatedHandler } from "./api";
import { atLeast, loadSession, type Role, type Session, saveSession } from "./auth";
import { claimDrafts, forgetAllDrafts } from "./draft-store";
import { ErrorBoundary, lazyPage } from "./error-boundary";
import { I18n, initialLang, keepLang, type Lang, translator, useI18n } from "./i18n";
import { forgetMenuCycle, MENU_CYCLE_KEY, menuHref, useMenuCycle } from "./menu-cycle";
import { usePageTitle } from "./page-title";
import { useRoute } from "./router";
import { Login } from "./views/login";
import { Rankings } from "./views/rankings";
import { forgetAllWhatIf, WHATIF_KEYS } from "./whatif-store";

// Chart-heavy pages load ECharts on first visit only. Made anew to try again after their code
// could not be fetched (a failed lazy component stays failed).
const lazyPages = () => ({
  WhatIf: lazyPage(() => import("./views/whatif").then((m) => m.WhatIf)),
  YearOnYear: lazyPage(() => import("./views/year-on-year").then((m) => m.YearOnYear)),
  Robustness: lazyPage(() => import("./views/robustness").then((m) => m.Robustness)),
  Rules: lazyPage(() => import("./views/rules").then((m) => m.Rules)),
  Events: lazyPage(() => import("./views/events").then((m) => m.Events)),
  Findings: lazyPage(() => import("./views/findings").then((m) => m.Findings)),
  Ballots: lazyPage(() => import("./views/ballots").then((m) => m.Ballots)),
  Cycles: lazyPage(() => import("./views/cycles").then((m) => m.Cycles)),
  Imports: lazyPage(() => import("./views/imports").then((m) => m.Imports)),
  History: lazyPage(() => import("./views/history").then((m) => m.History)),
});

type MenuPage = {
  page: string;
  label:
    | "rankings"
    | "whatIf"
    | "yearOnYear"
    | "robustness"
    | "rules"
    | "events"
    | "findings"
    | "ballots"
    | "cycles"
    | "imports"
    | "history";
  needs: Role;
  /** The page shows one cycle, named in its link (`?cycle=`): the menu's link carries it. */
  ofCycle: boolean;
};

const PAGES: MenuPage[] = [
  { page: "rankings", label: "rankings", needs: "viewer", ofCycle: true },
  // Every role reads a cycle's events; only an administrator records them (the page says so).
  { page: "events", label: "events", needs: "viewer", ofCycle: true },
  // Findings and their rectification likewise: every role follows them up, an administrator writes.
  { page: "findings", label: "findings", needs: "viewer", ofCycle: true },
  // Ballots and survey forms likewise: every role checks them, an administrator corrects ballots.
  { page: "ballots", label: "ballots", needs: "viewer", ofCycle: true },
  { page: "whatif", label: "whatIf", needs: "analyst", ofCycle: true },
  // Its `?cycle=` is the compared (later) cycle; the base one is `?before=`.
  { page: "yoy", label: "yearOnYear", needs: "analyst", ofCycle: true },
  { page: "robustness", label: "robustness", needs: "analyst", ofCycle: true },
  // A scheme's versions; its preview picks a cycle of its own, in the form.
  { page: "rules", label: "rules", needs: "admin", ofCycle: false },
  // Creating, linking and finalising cycles is an administrator's; the other pages list them.
  { page: "cycles", label: "cycles", needs: "admin", ofCycle: false },
  // The gateway takes imports, and lists a cycle's, from administrators only (importFile,
  // removeImport and Cycle.imports are admin-scoped).
  { page: "imports", label: "imports", needs: "admin", ofCycle: true },
  // The audit log is the gateway's to admins only (auditLog, auditEntry). All of it at first:
  // scheme publications and a database's move belong to no cycle.
  { page: "history", label: "history", needs: "admin", ofCycle: false },
];

/** What one person's work keeps in the tab beside the drafts, as theirs (claimDrafts). */
const BESIDE_DRAFTS = [WHATIF_KEYS, MENU_CYCLE_KEY];

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null>(() => {
    const s = loadSession();
    // A session already in the tab (a reload) owns the drafts it finds, or forgets another's.
    if (s) claimDrafts(s.subject, BESIDE_DRAFTS);
    return s;
  });
  const [expired, setExpired] = useState(false);
  const i18n = useMemo(
    () => ({
      lang,
      t: translator(lang),
      setLang: (l: Lang) => {
        keepLang(l);
        setLangState(l);
      },
    }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const route = useRoute();
  const page = PAGES.find((p) => p.page === route.page) ?? PAGES[0]!;
  usePageTitle(i18n.t(session ? page.label : "login.title"), i18n.t("appName"));
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      saveSession(null);
      setSession(null);
      setExpired(true);
    });
  }, []);

  const login = (s: Session) => {
    claimDrafts(s.subject, BESIDE_DRAFTS);
    saveSession(s);
    setSession(s);
    setExpired(false);
  };
  const logout = () => {
    // Signing out on purpose (unlike an expired session) hands the tab to someone else.
    forgetAllDrafts();
    forgetAllWhatIf();
    forgetMenuCycle();
    saveSession(null);
    setSession(null);
  };

  return (
    <I18n.Provider value={i18n}>
      {/* Keyed by who is signed in: the menu's cycle is theirs, not the one before's. */}
      <Header key={session?.subject ?? ""} session={session} onLogout={logout} />
      {/* Focusable from code only: where the focus waits while a page's read is tried again. */}
      <main tabIndex={-1}>
        {session ? <Page session={session} page={page} /> : <Login onLogin={login} expired={expired} />}
      </main>
    </I18n.Provider>
  );
}

function Header({ session, onLogout }: { session: Session | null; onLogout: () => void }) {
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  const cycle = useMenuCycle(route);
  return (
    <header>
      <span className="brand">{t("appName")}</span>
      {session && (
        <nav>
          {PAGES.filter((p) => atLeast(session.role, p.needs)).map((p) => (
            <a
              key={p.page}
              href={menuHref(p.page, p.ofCycle, cycle)}
              className={route.page === p.page ? "active" : ""}
              aria-current={route.page === p.page ? "page" : undefined}
            >
              {t(p.label)}
            </a>
          ))}
        </nav>
      )}
      <span className="spacer" />
      <select
        aria-label="Language / 语言"
        data-testid="lang"
        value={lang}
        onChange={(e) => setLang(e.target.value as Lang)}
      >
        <option value="zh-CN">中文</option>
        <option value="en">English</option>
      </select>
      {session && (
        <>
          <span className="who" data-testid="role">
            {session.subject} · {t(`role.${session.role}`)}
          </span>
          <button type="button" onClick={onLogout}>
            {t("logout")}
          </button>
        </>
      )}
    </header>
  );
}

/** The page the menu names `page`, headed by the menu's word for it (h1), under any state it is in. */
function Page({ session, page }: { session: Session; page: MenuPage }) {
  const { t } = useI18n();
  const [
    { WhatIf, YearOnYear, Robustness, Rules, Events, Findings, Ballots, Cycles, Imports, History },
    setPages,
  ] = useState(lazyPages);
  const heading = <h1>{t(page.label)}</h1>;
  if (!atLeast(session.role, page.needs)) {
    return (
      <>
        {heading}
        <p className="refused" data-testid="refused">
          {t("forbidden", { role: t(`role.${session.role}`), needed: t(`role.${page.needs}`) })}
        </p>
      </>
    );
  }
  return (
    <>
      {heading}
      <ErrorBoundary resetKey={page.page} onRetry={() => setPages(lazyPages())}>
        <Suspense fallback={<p>{t("loading")}</p>}>
          {page.page === "rankings" && <Rankings session={session} />}
          {page.page === "whatif" && <WhatIf session={session} />}
          {page.page === "yoy" && <YearOnYear />}
          {page.page === "robustness" && <Robustness />}
          {page.page === "rules" && <Rules />}
          {page.page === "events" && <Events session={session} />}
          {page.page === "findings" && <Findings session={session} />}
          {page.page === "ballots" && <Ballots session={session} />}
          {page.page === "cycles" && <Cycles />}
          {page.page === "imports" && <Imports />}
          {page.page === "history" && <History />}
        </Suspense>
      </ErrorBoundary>
    </>
  );
}

import { type KeyboardEvent, useRef } from "react";
import type { Session } from "../auth";
import { loadBallotChoices } from "../ballots-api";
import { useI18n } from "../i18n";
import { updateParams, useRoute } from "../router";
import { useQuery } from "../use-query";
import { BallotSection } from "./ballot-list";
import { CyclePicker, ErrorNote, failedRead, useCycle } from "./cycle-picker";
import { TallySection } from "./survey-tallies";

const TABS = ["ballots", "tallies"] as const;
type Tab = (typeof TABS)[number];

/**
 * A cycle's vote ballots (票决) and its survey forms (开门评议 测评表) counted, as imports loaded
 * them, each a page at a time under its own tab, for everyone; an administrator on an open cycle
 * also records, corrects and deletes single ballots, and deletes a category's (or one voter's in
 * it) at once. Survey forms are anonymous: imports change them, and an administrator deletes a
 * category's (a unit's, a respondent group's) at once.
 */
export function Ballots({ session }: { session: Session }) {
  const { params } = useRoute();
  const cyclesRead = useCycle(params.get("cycle"));
  const { cycles, cycle } = cyclesRead;
  const tab: Tab = params.get("show") === "tallies" ? "tallies" : "ballots";
  const choices = useQuery(cycle?.id ?? null, (s) => loadBallotChoices(cycle!.id, s));
  return (
    <section className="page stack">
      <div className="toolbar fit">
        <CyclePicker cycles={cycles} value={cycle?.id} />
      </div>
      <ErrorNote {...failedRead(cyclesRead, choices)} />
      <Tabs tab={tab} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="stack">
        {cycle && tab === "ballots" && (
          <BallotSection
            key={cycle.id}
            session={session}
            cycle={cycle}
            choices={choices.current}
            choicesFailed={choices.key === cycle.id && choices.error !== null}
          />
        )}
        {cycle && tab === "tallies" && (
          <TallySection key={cycle.id} session={session} cycle={cycle} choices={choices.current} />
        )}
      </div>
    </section>
  );
}

/**
 * Ballots or survey forms, in the URL (`show=tallies`). The unit chosen and the page size stay
 * with the other tab; its categories are others, so the category and what else narrows the list
 * start again. Arrow keys move between the tabs, as a tab list's do.
 */
function Tabs({ tab }: { tab: Tab }) {
  const { t } = useI18n();
  const buttons = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const show = (next: Tab) => {
    if (next !== tab)
      updateParams({
        show: next === "ballots" ? null : next,
        category: null,
        voter: null,
        group: null,
        page: null,
      });
    buttons.current[next]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    show(TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!);
  };
  return (
    <div className="toolbar" role="tablist" aria-label={t("ballots.tabs")} onKeyDown={onKey}>
      {TABS.map((id) => (
        <button
          key={id}
          ref={(el) => {
            buttons.current[id] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${id}`}
          data-testid={`tab-${id}`}
          aria-selected={tab === id}
          aria-controls={tab === id ? `panel-${id}` : undefined}
          tabIndex={tab === id ? 0 : -1}
          className={tab === id ? "primary" : ""}
          onClick={() => show(id)}
        >
          {t(`ballots.tab.${id}`)}
        </button>
      ))}
    </div>
  );
}

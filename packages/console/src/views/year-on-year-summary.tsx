import { useI18n } from "../i18n";

/**
 * Year on year's summary: how many units rose, fell and changed grade; of those that rose or fell,
 * how many only because units left or joined their group's ranking (`byPool`, poolMoves); and how
 * many moved group.
 */
export function YearOnYearSummary(props: {
  moves: { rose: number; fell: number; grades: number; movedGroup: number };
  byPool: { rose: number; fell: number };
}) {
  const { lang, t } = useI18n();
  const { moves, byPool } = props;
  // "0 rose and 12 fell" says a nought: the half there is, or both.
  const moved =
    byPool.rose === 0
      ? t("yoy.poolFell", { count: byPool.fell })
      : byPool.fell === 0
        ? t("yoy.poolRose", { count: byPool.rose })
        : t("yoy.poolBoth", byPool);
  const sentences = [
    t("yoy.summary", { rose: moves.rose, fell: moves.fell, grades: moves.grades }),
    ...(byPool.rose + byPool.fell > 0 ? [t("yoy.summaryPool", { moved })] : []),
    ...(moves.movedGroup > 0 ? [t("yoy.summaryMovedGroup", { count: moves.movedGroup })] : []),
  ];
  // Chinese runs on after "。"; English sentences are spaced.
  return <p data-testid="yoy-summary">{sentences.join(lang === "en" ? " " : "")}</p>;
}

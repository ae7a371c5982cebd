import { useI18n } from "../i18n";

const SEVERE = new Set(["VETO", "INSUFFICIENT", "LAST_RANKED"]);

export function Flags({ flags }: { flags: string[] }) {
  const { t } = useI18n();
  return (
    <>
      {flags.map((f) => (
        <span key={f} className={`flag ${SEVERE.has(f) ? "severe" : ""}`} title={f}>
          {t(`flag.${f}` as never)}
        </span>
      ))}
    </>
  );
}

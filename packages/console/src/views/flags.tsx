import { useI18n } from "../i18n";

const SEVERE = new Set(["VETO", "INSUFFICIENT", "LAST_RANKED"]);

/** Flags as chips; `title` is what pointing at one says (by default its code). */
export function Flags({ flags, title }: { flags: string[]; title?: string }) {
  const { t } = useI18n();
  return (
    <>
      {flags.map((f) => (
        <span key={f} className={`flag ${SEVERE.has(f) ? "severe" : ""}`} title={title ?? f}>
          {t(`flag.${f}` as never)}
        </span>
      ))}
    </>
  );
}

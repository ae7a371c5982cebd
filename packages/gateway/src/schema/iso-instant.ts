/**
 * A date, or a date and time with its zone (`T` or a space between them; `Z`, `+08`, `+08:00` or
 * `+0800`). Date would also read "2019", "Jan 5" or a time with no zone (as the server's local
 * time), and roll "2019-02-30" over to March: a filter would then hold from another moment than
 * the one meant.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?))?$/i;

/** The instant an ISO 8601 text names, or null when it names none (a day or hour that does not exist). */
export function parseIsoInstant(text: string): Date | null {
  const m = ISO_8601.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", zone, sign, oh = "0", om = "0"] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as number[];
  const ms = Number(frac.padEnd(3, "0").slice(0, 3));
  const daysIn = utc(year!, month!, 0).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysIn) return null;
  if (hour! > 23 || minute! > 59 || second! > 59 || Number(oh) > 23 || Number(om) > 59) return null;
  const offset = zone && sign ? (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  const at = utc(year!, month! - 1, day!, hour!, minute!, second!, ms).getTime() - offset * 60_000;
  return Number.isFinite(at) ? new Date(at) : null;
}

/** Date.UTC, but of the year given: Date.UTC reads years 0–99 as 1900–1999 ("0050" as 1950). */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const at = new Date(Date.UTC(2000, 0, 1, hour, minute, second, ms));
  at.setUTCFullYear(year, month, day);
  return at;
}

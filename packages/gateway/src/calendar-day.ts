/**
 * Whether `v` is a day of the calendar written YYYY-MM-DD. "2019-02-30" has the shape but no
 * day: `Date.parse` rolls it into March, and PostgreSQL refuses it mid-write, so every path
 * that stores a date (GraphQL, the store, imports) checks it with this first.
 */
export function isCalendarDay(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return y >= 1 && days !== undefined && d >= 1 && d <= days;
}

/** "1 row", "2 rows": the messages are read by people (imports, the database move). */
export function rowsText(n: number): string {
  return `${n} ${n === 1 ? "row" : "rows"}`;
}

/**
 * "1 ballot", "203 ballots", "200,000 ballots": how a refusal or a reader's issue counts a vote's
 * ballots, the same in every message that counts them.
 */
export function ballotsCounted(n: number): string {
  return n === 1 ? "1 ballot" : `${n.toLocaleString("en")} ballots`;
}

export function Robustness() {
  return <p>…</p>;
}

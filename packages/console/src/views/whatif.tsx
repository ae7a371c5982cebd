import type { Session } from "../auth";
export function WhatIf(_p: { session: Session }) {
  return <p>…</p>;
}

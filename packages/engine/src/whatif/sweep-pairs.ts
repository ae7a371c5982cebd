import { type Rational, toNumber } from "../rational.js";
import type { PiecewiseLinear } from "./piecewise-linear.js";
import type { Crossings } from "./sweep-crossings.js";

/** Which members' totals are one line, with that line's doubles (and its start's). */
export interface Lines {
  line: Uint8Array;
  a: Float64Array;
  b: Float64Array;
  from: Float64Array;
}

export function linesOf(totals: readonly PiecewiseLinear[]): Lines {
  const n = totals.length;
  const out = {
    line: new Uint8Array(n),
    a: new Float64Array(n),
    b: new Float64Array(n),
    from: new Float64Array(n),
  };
  // Plain loops: a typed array's \`from\` with a mapper iterates generically (50 groups a sweep).
  for (let l = 0; l < n; l++) {
    const f = totals[l]!;
    const p = f.pieces[0]!;
    out.line[l] = f.pieces.length === 1 ? 1 : 0;
    out.a[l] = p.af;
    out.b[l] = p.bf;
    out.from[l] = p.ff;
  }
  return out;
}

/** A ranked group's members as the crossing search reads them (by index in the group). */
export interface PairMembers {
  totals: readonly PiecewiseLinear[];
  keys: readonly (readonly (PiecewiseLinear | null)[])[];
  /** 1 when a veto places the member last: such members only cross each other. */
  forced: Uint8Array;
  lines: Lines;
}

/**
 * Every crossing of two members' totals (and of their tie-breakers where the totals are the
 * same somewhere), and of each total with each grade threshold (`limits`), up to `to`.
 * A province group has ~20,000 pairs, most of which never cross. Fills `out` (cleared first).
 */
export function pairCrossings(
  members: PairMembers,
  limits: readonly (PiecewiseLinear | null)[],
  to: Rational,
  out: Crossings,
): Crossings {
  out.clear();
  const { totals: T, keys, forced, lines } = members;
  const { line, a: A, b: B, from: F } = lines;
  const n = T.length;
  const first = T.map((f) => f.pieces[0]!);
  const hif = toNumber(to);
  for (let a = 0; a < n; a++) {
    const fu = T[a]!;
    const ku = keys[a]!;
    const fa = forced[a];
    const la = line[a]!;
    const pa = A[a]!;
    const pb = B[a]!;
    const start = F[a]!;
    const scale = 1 + Math.abs(pa) + Math.abs(pb * hif);
    for (let b = a + 1; b < n; b++) {
      if (forced[b] !== fa) continue;
      const fv = T[b]!;
      // Most pairs do not cross: Crossings' screen of one stretch, inline; a clear crossing
      // of two lines is added as Crossings would add it, and cannot be a tie-breaker case.
      if (la & line[b]!) {
        const qa = A[b]!;
        const db = pb - B[b]!;
        const d0 = pa - qa + db * start;
        const d1 = pa - qa + db * hif;
        const tol = 1e-9 * (scale + Math.abs(qa));
        if ((d0 > tol && d1 > tol) || (d0 < -tol && d1 < -tol)) continue;
        if ((d0 > tol && d1 < -tol) || (d0 < -tol && d1 > tol)) {
          out.between(a, b);
          out.add(first[a]!, first[b]!, (qa - pa) / db);
          continue;
        }
      }
      out.between(a, b);
      out.addCrossings(fu, fv);
      if (ku.length > 0 && sameSomewhere(fu, fv)) {
        out.between(a, b, false);
        const kv = keys[b]!;
        for (let t = 0; t < ku.length; t++) {
          const p = ku[t];
          const q = kv[t];
          if (p && q) out.addCrossings(p, q);
        }
      }
    }
    for (let k = 0; k < limits.length; k++) {
      const m = limits[k];
      if (!m) continue;
      out.between(a, -1 - k);
      out.addCrossings(fu, m);
    }
  }
  return out;
}

function sameSomewhere(f: PiecewiseLinear, g: PiecewiseLinear): boolean {
  for (const p of f.pieces)
    for (const q of g.pieces)
      if (
        p.af === q.af &&
        p.bf === q.bf &&
        p.a.n * q.a.d === q.a.n * p.a.d &&
        p.b.n * q.b.d === q.b.n * p.b.d
      )
        return true;
  return false;
}

import { cmp, type Rational, toExactString, toNumber } from "../rational.js";
import { type RootParts, rootOf, rootText, smallCrossing } from "./piecewise-arithmetic.js";
import { type LinearPiece, lineCrossing, type PiecewiseLinear } from "./piecewise-linear.js";

/**
 * The exact text (as `toExactString` prints it) of the point where the lines of p and q
 * cross: a root's text is the same however its value was made (see `rootText`), so a sweep
 * prints only the roots its result is read at, after its crossings are gone.
 */
export function crossingText(p: LinearPiece, q: LinearPiece): string {
  const parts: RootParts = { n1: 0, n2: 1, d1: 1, d2: 1 };
  if (smallCrossing(p, q, parts)) return rootText(parts) ?? toExactString(rootOf(parts));
  return toExactString(lineCrossing(p, q)!);
}

/** Integers below this are exact in doubles. */
const SAFE = 2 ** 53;

/** Relative error of one double operation, with a margin for the few chained here. */
const EPS = 2e-15;

/**
 * A group's crossings in columns: which members cross, the root as a double with a bound on
 * its error, and the two pieces whose lines cross there. A province sweep finds ~10^5 of them;
 * most exact roots are needed only for their text, so they are made on demand, in doubles
 * when the lines' parts are small (as bigints only when compared exactly).
 */
export class Crossings {
  size = 0;
  u: Int32Array = new Int32Array(256);
  /** −1 − k for grade level k (a threshold or line: GroupSweep's levels). */
  v: Int32Array = new Int32Array(256);
  /** 1 where two members' totals meet (not their tie-breakers): they are equal at the root. */
  totals: Uint8Array = new Uint8Array(256);
  xf: Float64Array = new Float64Array(256);
  err: Float64Array = new Float64Array(256);
  /**
   * Made holding objects from the start: an empty array literal changes its elements' kind
   * at its first store, so every sweep's new Crossings deoptimised the crossing search.
   */
  private readonly p: LinearPiece[] = new Array(256).fill(null);
  private readonly q: LinearPiece[] = new Array(256).fill(null);
  private readonly exact: (Rational | undefined)[] = new Array(256).fill(undefined);
  /** 0: root not made yet; 1: as factors in rootN1…rootD2 (see RootParts); 2: in exact. */
  private made: Uint8Array = new Uint8Array(256);
  private rootN1: Float64Array = new Float64Array(256);
  private rootN2: Float64Array = new Float64Array(256);
  private rootD1: Float64Array = new Float64Array(256);
  private rootD2: Float64Array = new Float64Array(256);
  private readonly parts: RootParts = { n1: 0, n2: 1, d1: 1, d2: 1 };
  /** The members whose crossings are being added (v: −1 for a grade threshold). */
  private pairU = 0;
  private pairV = 0;
  private pairTotals = 0;

  /**
   * Forgets every crossing but keeps the columns: one sweep's groups take turns with one
   * Crossings, so each group's columns are not grown again from 256 (a group's bounds read
   * exact roots before the next group starts; their texts come from the pieces, see `p`).
   */
  clear(): void {
    this.size = 0;
  }

  /**
   * The crossings added next are of u's and v's totals (or, with `totals` false, tie-breakers);
   * v −1 − k: of u's total and grade level k.
   */
  between(u: number, v: number, totals = v >= 0): void {
    this.pairU = u;
    this.pairV = v;
    this.pairTotals = totals ? 1 : 0;
  }

  /** A root where the lines of p and q meet, known as the double xf, its error bounded from the pieces' doubles. */
  add(p: LinearPiece, q: LinearPiece, xf: number): void {
    const ax = Math.abs(xf);
    const slopes = Math.abs(p.bf - q.bf);
    const scale = Math.abs(p.af) + Math.abs(q.af) + ax * (Math.abs(p.bf) + Math.abs(q.bf));
    const err = (EPS * scale + 1e-18 * (1 + ax)) / slopes + EPS * ax;
    // Nearly parallel lines (or a double out of range): too loose to steer ranking between events.
    if (!(err <= 1e-11 * (1 + ax))) this.addExact(p, q, lineCrossing(p, q)!);
    else {
      const i = this.push(p, q);
      this.xf[i] = xf;
      this.err[i] = err;
    }
  }

  /** A root already known exactly. */
  addExact(p: LinearPiece, q: LinearPiece, root: Rational): void {
    // Parts beyond doubles' range go through toNumber, which is only within 1e-20.
    const quotient = Number(root.n) / Number(root.d);
    const finite = Number.isFinite(quotient);
    const xf = finite ? quotient : toNumber(root);
    const i = this.push(p, q);
    this.xf[i] = xf;
    this.err[i] = EPS * Math.abs(xf) + (finite ? 1e-300 : 1e-19);
    this.exact[i] = root;
    this.made[i] = 2;
  }

  /** A new crossing of p and q's lines; the caller writes its root's double and error (no doubles passed, so none boxed). */
  private push(p: LinearPiece, q: LinearPiece): number {
    if (this.size === this.u.length) this.grow();
    const i = this.size++;
    this.u[i] = this.pairU;
    this.v[i] = this.pairV;
    this.totals[i] = this.pairTotals;
    this.p[i] = p;
    this.q[i] = q;
    this.exact[i] = undefined;
    this.made[i] = 0;
    return i;
  }

  root(i: number): Rational {
    let r = this.exact[i];
    if (r === undefined) {
      r = this.make(i) === 1 ? rootOf(this.partsOf(i)) : this.exact[i]!;
      this.exact[i] = r;
    }
    return r;
  }

  /** The two pieces whose lines cross at crossing i: its text, made when read, needs only them. */
  pieceP(i: number): LinearPiece {
    return this.p[i]!;
  }

  pieceQ(i: number): LinearPiece {
    return this.q[i]!;
  }

  private partsOf(i: number): RootParts {
    const parts = this.parts;
    parts.n1 = this.rootN1[i]!;
    parts.n2 = this.rootN2[i]!;
    parts.d1 = this.rootD1[i]!;
    parts.d2 = this.rootD2[i]!;
    return parts;
  }

  private make(i: number): number {
    if (this.made[i] === 0) {
      const parts = this.parts;
      if (smallCrossing(this.p[i]!, this.q[i]!, parts)) {
        this.rootN1[i] = parts.n1;
        this.rootN2[i] = parts.n2;
        this.rootD1[i] = parts.d1;
        this.rootD2[i] = parts.d2;
        this.made[i] = 1;
      } else {
        this.exact[i] = lineCrossing(this.p[i]!, this.q[i]!)!;
        this.made[i] = 2;
      }
    }
    return this.made[i]!;
  }

  /**
   * Exact order of two roots (−1, 0 or 1); doubles decide when their error bounds keep them
   * apart. A sign rather than the difference: a double returned from a call the sort does not
   * inline is boxed, ~140,000 times a province sweep.
   */
  compare(i: number, j: number): number {
    const d = this.xf[i]! - this.xf[j]!;
    if (Math.abs(d) > this.err[i]! + this.err[j]!) return d > 0 ? 1 : -1;
    return this.sameRoot(i, j) ? 0 : cmp(this.root(i), this.root(j));
  }

  /**
   * Whether two roots too close for their doubles are one root, told from their factors when
   * both are made of small ones: roots in lowest terms are equal iff their numerators and
   * denominators are. A tie-heavy group has ~280 crossings at each of its points, each sorted
   * against the others (~3·10^6 exact comparisons in bigints for a group of 1,400).
   */
  private sameRoot(i: number, j: number): boolean {
    if (this.make(i) !== 1 || this.make(j) !== 1) return false;
    const ni = this.rootN1[i]! * this.rootN2[i]!;
    const di = this.rootD1[i]! * this.rootD2[i]!;
    const nj = this.rootN1[j]! * this.rootN2[j]!;
    const dj = this.rootD1[j]! * this.rootD2[j]!;
    // Products past 2^53 may round to one double: only exact ones are compared.
    const exact = Math.abs(ni) < SAFE && di < SAFE && Math.abs(nj) < SAFE && dj < SAFE;
    return exact && ni === nj && di === dj;
  }

  /**
   * Adds the points strictly inside the domain where f − g changes sign or touches zero.
   * Doubles walk both functions' kinks: a stretch whose ends are clearly of one sign has no
   * root, one whose ends are clearly of opposite signs has exactly one, strictly inside, whose
   * exact value can wait; only roots near a kink or an end are computed and checked at once.
   * Stretches where f ≡ g are not reported.
   */
  addCrossings(f: PiecewiseLinear, g: PiecewiseLinear): void {
    const fp = f.pieces;
    const gp = g.pieces;
    const lo = fp[0]!.from;
    const hi = f.to;
    const hif = toNumber(hi);
    let i = 0;
    let j = 0;
    let startf = fp[0]!.ff;
    let last: Rational | null = null;
    while (i < fp.length && j < gp.length) {
      const p = fp[i]!;
      const q = gp[j]!;
      const pEnd = fp[i + 1];
      const qEnd = gp[j + 1];
      const endf = Math.min(pEnd ? pEnd.ff : hif, qEnd ? qEnd.ff : hif);
      const db = p.bf - q.bf;
      const d0 = p.af - q.af + db * startf;
      const d1 = p.af - q.af + db * endf;
      const tol = 1e-9 * (1 + Math.abs(p.af) + Math.abs(q.af) + Math.abs(p.bf * endf));
      if ((d0 > tol && d1 < -tol) || (d0 < -tol && d1 > tol)) this.add(p, q, (q.af - p.af) / db);
      else if (!((d0 > tol && d1 > tol) || (d0 < -tol && d1 < -tol))) {
        const root = lineCrossing(p, q);
        if (root !== null) {
          const from = cmp(p.from, q.from) >= 0 ? p.from : q.from;
          const e0 = pEnd?.from ?? hi;
          const e1 = qEnd?.from ?? hi;
          const end = cmp(e0, e1) <= 0 ? e0 : e1;
          if (cmp(root, from) >= 0 && cmp(root, end) <= 0 && cmp(root, lo) > 0 && cmp(root, hi) < 0) {
            if (last === null || cmp(last, root) !== 0) this.addExact(p, q, root);
            last = root;
          }
        }
      }
      startf = endf;
      // Advance on exact kinks: two kinks one double apart must not be merged.
      const c = pEnd && qEnd ? cmp(pEnd.from, qEnd.from) : pEnd ? -1 : qEnd ? 1 : 0;
      if (c <= 0) i++;
      if (c >= 0) j++;
    }
  }

  private grow(): void {
    const n = this.size * 2;
    const resize = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (k: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.u = resize(this.u, (k) => new Int32Array(k));
    this.v = resize(this.v, (k) => new Int32Array(k));
    this.totals = resize(this.totals, (k) => new Uint8Array(k));
    this.xf = resize(this.xf, (k) => new Float64Array(k));
    this.err = resize(this.err, (k) => new Float64Array(k));
    this.made = resize(this.made, (k) => new Uint8Array(k));
    this.rootN1 = resize(this.rootN1, (k) => new Float64Array(k));
    this.rootN2 = resize(this.rootN2, (k) => new Float64Array(k));
    this.rootD1 = resize(this.rootD1, (k) => new Float64Array(k));
    this.rootD2 = resize(this.rootD2, (k) => new Float64Array(k));
  }
}

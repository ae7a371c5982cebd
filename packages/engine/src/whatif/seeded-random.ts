/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32), so every
 * simulation is reproducible from its seed alone and never touches Math.random.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal variate. */
  normal(): number;
  /** Gamma(shape, 1) variate; shape > 0. */
  gamma(shape: number): number;
  /**
   * The logarithm of a Gamma(shape, 1) variate, from the same draws as `gamma`: for small
   * shapes the variate itself underflows to 0 (u^(1/shape) with shape 0.001), its logarithm
   * does not.
   */
  logGamma(shape: number): number;
}

/** Creates a generator from a 32-bit integer seed; equal seeds give equal sequences. */
export function seededRandom(seed: number): SeededRandom {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // sfc32 needs a few rounds to mix a weak seed
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
    const u = 1 - next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number): number => {
    // Marsaglia–Tsang; shapes below 1 are boosted and scaled back by u^(1/shape).
    if (shape < 1) return gamma(shape + 1) * (1 - next()) ** (1 / shape);
    return marsagliaTsang(shape);
  };
  const logGamma = (shape: number): number => {
    if (shape < 1) return logGamma(shape + 1) + Math.log(1 - next()) / shape;
    return Math.log(marsagliaTsang(shape));
  };
  const marsagliaTsang = (shape: number): number => {
    const d3 = shape - 1 / 3;
    const c3 = 1 / Math.sqrt(9 * d3);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c3 * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - next();
      if (Math.log(u) < 0.5 * x * x + d3 - d3 * v + d3 * Math.log(v)) return d3 * v;
    }
  };
  return { next, normal, gamma, logGamma };
}

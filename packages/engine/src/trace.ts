/**
 * One readable step of an explanation: what was computed, from what, and how.
 * `text` is the arithmetic as a person would check it by hand ("26.94 / 30 × 20 = 17.96").
 */
export interface TraceStep {
  step: string;
  text: string;
}

export function traceStep(step: string, text: string): TraceStep {
  return { step, text };
}

import { type Rational, toExactString } from "../../rational.js";

/** How a ballot value reads in a trace: `toExactString` of it. */
export type ValueText = (value: Rational) => string;

/**
 * `toExactString` remembered per value object. A category's ballots share a few hundred
 * values (each distinct score or grade is read into one shared `Rational`), while traces
 * show them some 200,000 times: each is formatted once. Only for those shared values: a
 * freshly computed value would fill the table with entries never asked for again.
 */
export function ballotTexts(): ValueText {
  const texts = new Map<Rational, string>();
  return (value) => {
    let text = texts.get(value);
    if (text === undefined) {
      text = toExactString(value);
      texts.set(value, text);
    }
    return text;
  };
}

/**
 * mathjs syntax trees carry no source positions, so a light tokenizer recovers them: the
 * compiler walks the tree in source order and consumes the tokens each allowed node owns,
 * so the next unconsumed token is where the node being looked at starts. It only has to
 * agree with mathjs on the allowed subset; the first disagreement switches positions off
 * rather than report a wrong one.
 */
export interface Token {
  text: string;
  /** 1-based character position. */
  position: number;
}

const LETTER = "A-Za-z_$\\u00C0-\\u02AF\\u0370-\\u03FF\\u2100-\\u214F\\uD835\\uDC00-\\uDFFF";
const TOKEN = new RegExp(
  [
    `\\s+|#[^\\n]*`, // skipped
    `0[xXbBoO][0-9a-fA-F.]*(?:i\\d+)?`,
    `(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?`,
    `[${LETTER}][${LETTER}0-9]*`,
    `"(?:[^"\\\\]|\\\\.)*"?|'(?:[^'\\\\]|\\\\.)*'?`,
    `==|!=|<=|>=|\\?\\?|\\.[*/^']|<<|>>>|>>`,
    `[^]`,
  ].join("|"),
  "gy",
);

/**
 * A name, a number, a text string, a closing bracket or a postfix operator (! or a transpose):
 * a `'` after one is a transpose. A string followed by anything was closed: an open one runs
 * to the end.
 */
const ENDS_OPERAND = new RegExp(`^(?:[${LETTER}0-9"']|\\.\\d)|^[)\\]}!]$`);

export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    const at = TOKEN.lastIndex;
    // mathjs reads x' as x transposed and only a ' where an operand is due as text: read as
    // text, "x' + (((…" would hide its brackets from the depth guard.
    const previous = tokens[tokens.length - 1];
    if (expression[at] === "'" && previous && ENDS_OPERAND.test(previous.text)) {
      tokens.push({ text: "'", position: at + 1 });
      TOKEN.lastIndex = at + 1;
      continue;
    }
    const m = TOKEN.exec(expression)!;
    if (/^\s|^#/.test(m[0])) continue;
    tokens.push({ text: m[0], position: at + 1 });
  }
  return tokens;
}

export class TokenCursor {
  private index = 0;
  private aligned = true;

  constructor(private readonly tokens: readonly Token[]) {}

  /** Where the next unconsumed token starts, or undefined once positions are unreliable. */
  get position(): number | undefined {
    if (!this.aligned) return undefined;
    return this.tokens[this.index]?.position;
  }

  /** Consumes the next token, which should read `text`; a mismatch switches positions off. */
  expect(text: string): number | undefined {
    const token = this.tokens[this.index];
    if (!this.aligned || token?.text !== text) {
      this.aligned = false;
      return undefined;
    }
    this.index++;
    return token.position;
  }

  /** Positions of the remaining input are unknown, e.g. after a construct we did not walk. */
  lose(): void {
    this.aligned = false;
  }
}

import {
  create,
  createAccessorNode,
  createArrayNode,
  createAssignmentNode,
  createBlockNode,
  createConditionalNode,
  createConstantNode,
  createFunctionAssignmentNode,
  createFunctionNode,
  createIndexNode,
  createNode,
  createObjectNode,
  createOperatorNode,
  createParenthesisNode,
  createParse,
  createRangeNode,
  createRelationalNode,
  createSymbolNode,
  createTyped,
  type FactoryFunctionMap,
  factory,
  type MathNode,
} from "mathjs/number";
import { type Token, tokenize } from "./formula-tokens.js";

// mathjs ships these factories but its typings omit them; declaring them keeps the import
// list explicit, which is what lets a bundler leave the rest of mathjs out.
declare module "mathjs/number" {
  const createAccessorNode: FactoryFunctionMap[string];
  const createArrayNode: FactoryFunctionMap[string];
  const createAssignmentNode: FactoryFunctionMap[string];
  const createBlockNode: FactoryFunctionMap[string];
  const createConditionalNode: FactoryFunctionMap[string];
  const createConstantNode: FactoryFunctionMap[string];
  const createFunctionAssignmentNode: FactoryFunctionMap[string];
  const createFunctionNode: FactoryFunctionMap[string];
  const createIndexNode: FactoryFunctionMap[string];
  const createNode: FactoryFunctionMap[string];
  const createObjectNode: FactoryFunctionMap[string];
  const createOperatorNode: FactoryFunctionMap[string];
  const createParenthesisNode: FactoryFunctionMap[string];
  const createParse: FactoryFunctionMap[string];
  const createRangeNode: FactoryFunctionMap[string];
  const createRelationalNode: FactoryFunctionMap[string];
  const createSymbolNode: FactoryFunctionMap[string];
  const createTyped: FactoryFunctionMap[string];
}

/**
 * A number literal exactly as typed. mathjs hands every literal's text to `numeric`; ours keeps
 * the text instead of converting to a double, so "0.3" can later be read as 3/10.
 */
export class NumberText {
  constructor(readonly text: string) {}
  /** mathjs calls this when printing a node, e.g. in rejection messages. */
  format(): string {
    return this.text;
  }
}

// Evaluation-time helpers the node classes require but that we never call: we only parse,
// then walk the tree ourselves. Throwing stubs keep matrix, unit and bignumber code out.
const inert = (name: string) =>
  factory(name, [], () => () => {
    throw new Error(`mathjs ${name} is not available in formulas`);
  });

// Built on first use, not at import: the parse function is stateless, and importing the engine
// should cost nothing for schemes without formulas.
let parser: ((expression: string) => MathNode) | undefined;

function mathjsParse(): (expression: string) => MathNode {
  parser ??= create({
    createParse,
    createTyped,
    createNode,
    createAccessorNode,
    createArrayNode,
    createAssignmentNode,
    createBlockNode,
    createConditionalNode,
    createConstantNode,
    createFunctionAssignmentNode,
    createFunctionNode,
    createIndexNode,
    createObjectNode,
    createOperatorNode,
    createParenthesisNode,
    createRangeNode,
    createRelationalNode,
    createSymbolNode,
    createNumeric: factory("numeric", [], () => (text: string) => new NumberText(text)),
    createSubset: inert("subset"),
    createSize: inert("size"),
    createIsBounded: inert("isBounded"),
    createResultSet: inert("ResultSet"),
  }).parse as (expression: string) => MathNode;
  return parser;
}

export type ParseResult = { ok: true; node: MathNode } | { ok: false; message: string; position?: number };

/** Deepest bracket nesting accepted before parsing; mathjs parses recursively, ~20 frames a level. */
export const MAX_BRACKET_DEPTH = 40;

/** Parses with mathjs' grammar only; nothing here evaluates. Positions are 1-based characters. */
export function parseExpression(expression: string): ParseResult {
  const tokens = tokenize(expression);
  // Tokens, not characters: a bracket in a "# comment" is text, and nests nothing.
  let depth = 0;
  for (const { text, position } of tokens) {
    if (text === "(" || text === "[" || text === "{") depth++;
    else if (text === ")" || text === "]" || text === "}") depth--;
    if (depth > MAX_BRACKET_DEPTH)
      return { ok: false, message: `brackets nested more than ${MAX_BRACKET_DEPTH} deep`, position };
  }
  try {
    return { ok: true, node: mathjsParse()(expression) };
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, message: "expression is nested too deeply" };
    const err = e as Error & { char?: unknown };
    // mathjs appends " (char N)" where N is the index just past the offending token, which is
    // that token's last character counted from 1; we state positions ourselves.
    const message = String(err.message).replace(/\s*\(char \d+\)\s*$/, "");
    if (message.startsWith("False part of conditional expression expected")) {
      const nested = nestedConditional(expression, tokens);
      if (nested) return { ok: false, ...nested };
    }
    return typeof err.char === "number"
      ? { ok: false, message: `syntax error: ${message}`, position: Math.max(1, err.char) }
      : { ok: false, message: `syntax error: ${message}` };
  }
}

/**
 * A conditional written unbracketed in another's true branch, as docs and other languages allow:
 * mathjs reads "x > 0 ? x > 1 ? 1 : 2 : 3" as "x > 1 ? (1 : 2 : 3)", a range, and then misses
 * the outer ":". Bracketed, the inner one reads as meant; in the false branch it needs none.
 */
function nestedConditional(
  expression: string,
  tokens: readonly Token[],
): { message: string; position: number } | undefined {
  // Per bracket level: the "?" still waiting for their ":", innermost last.
  const levels: Token[][] = [[]];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const open = levels[levels.length - 1]!;
    if (token.text === "(" || token.text === "[" || token.text === "{") levels.push([]);
    else if (token.text === ")" || token.text === "]" || token.text === "}") {
      if (levels.length > 1) levels.pop();
    } else if (token.text === ":") open.pop();
    else if (token.text === "?" && open.length > 0) {
      const start = tokens[tokens.indexOf(open[open.length - 1]!) + 1]!;
      const end = trueBranchEnd(tokens, i);
      const inner = end === undefined ? "" : expression.slice(start.position - 1, end - 1).trim();
      // Quoted only where it reads as one line: a comment inside would swallow the bracket.
      const quoted = inner !== "" && inner.length <= 60 && !/[#\n]/.test(inner);
      const example = quoted ? `(${inner})` : "c ? (d ? a : b) : e";
      return {
        message: `syntax error: a conditional in another's true branch must be in brackets: write ${example}`,
        position: start.position,
      };
    } else if (token.text === "?") open.push(token);
  }
  return undefined;
}

/** Where the true branch holding the inner "?" at `inner` ends: at the outer conditional's ":". */
function trueBranchEnd(tokens: readonly Token[], inner: number): number | undefined {
  let depth = 0;
  let waiting = 2;
  for (let i = inner + 1; i < tokens.length; i++) {
    const text = tokens[i]!.text;
    if (text === "(" || text === "[" || text === "{") depth++;
    else if (text === ")" || text === "]" || text === "}") depth--;
    if (depth < 0) return undefined;
    if (depth > 0) continue;
    if (text === "?") waiting++;
    else if (text === ":" && --waiting === 0) return tokens[i]!.position;
  }
  return undefined;
}

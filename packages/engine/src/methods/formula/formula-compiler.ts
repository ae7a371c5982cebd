import type { MathNode } from "mathjs";
import {
  add,
  cmp,
  div,
  eq,
  isZero,
  MAX_DECIMAL_DIGITS,
  mul,
  neg,
  type Rational,
  ratio,
  round,
  sub,
  toExactString,
} from "../../rational.js";
import { checkCompileArguments, checkFormulaProblemArgument } from "./formula-argument.js";
import { mistypedCharacters } from "./formula-characters.js";
import { FORMULA_FUNCTIONS, FormulaFailure, FUNCTION_SIGNATURES, power } from "./formula-functions.js";
import { isReservedWord, type NameList, nameList, unwritableIn } from "./formula-names.js";
import { NumberText, parseExpression } from "./formula-parser.js";
import { type Token, TokenCursor, tokenize } from "./formula-tokens.js";

/** The names a formula may refer to. */
export interface FormulaNames {
  /** Declared per-unit inputs (dataset `inputs` rows). */
  inputs: readonly string[];
  /** Category ids of the scheme; a reference reads that category's exact points for the unit. */
  categories: readonly string[];
  /** The formula's own category: referring to it would be a cycle, so it is rejected. */
  self?: string | undefined;
}

/** Why an expression was rejected; `position` is the 1-based character where the construct starts. */
export interface FormulaProblem {
  message: string;
  position?: number | undefined;
}

/** Exact values by name (inputs and category points) for one unit. */
export type FormulaScope = ReadonlyMap<string, Rational>;

/** A checked expression, ready to evaluate for any number of units. */
export interface CompiledExpression {
  readonly expression: string;
  /** Inputs the expression reads, in order of first use. */
  readonly inputs: readonly string[];
  /** Categories the expression reads, in order of first use. */
  readonly categories: readonly string[];
  /** @internal The closure tree; use `evaluateFormula`. */
  readonly run: (scope: FormulaScope) => Rational;
  /** @internal Prints the expression with values substituted; use `substituteFormula`. */
  readonly show: (scope: FormulaScope) => string;
}

export type FormulaCompilation =
  | { ok: true; formula: CompiledExpression }
  | { ok: false; problems: FormulaProblem[] };

export type FormulaEvaluation = { ok: true; value: Rational } | { ok: false; reason: string };

/** Longest expression accepted (the scheme schema's limit). */
export const MAX_EXPRESSION_LENGTH = 2000;
/** Deepest nesting of operations. */
export const MAX_DEPTH = 40;
/** Most operations, numbers and names in one expression. */
export const MAX_NODES = 500;
/** Largest exponent after `^`, and largest product of nested exponents, so values stay small. */
export const MAX_EXPONENT = 16;
const MAX_POWER_PRODUCT = 64;
/** Largest `round(x, n)` place count and largest |exponent| in a literal such as 1e3. */
const MAX_PLACES = 10;
const MAX_LITERAL_EXPONENT = 30;
/**
 * Most digits in a value's numerator or denominator. Exact fractions grow with every operation,
 * and reducing a 100,000-digit one takes seconds; scores need a few dozen digits. Every operand
 * stays below the bound, so no single operation can be slow.
 */
const MAX_DIGITS = MAX_DECIMAL_DIGITS;
const DIGIT_BOUND = 10n ** BigInt(MAX_DIGITS);

function tooLong(x: Rational): boolean {
  return x.n >= DIGIT_BOUND || x.n <= -DIGIT_BOUND || x.d >= DIGIT_BOUND;
}

/** `run`, failing the unit when a result outgrows `MAX_DIGITS`. */
function bounded(run: NumberFn, text: string): NumberFn {
  return (s) => {
    const x = run(s);
    if (tooLong(x)) throw new FormulaFailure(`"${text}" gives a number of more than ${MAX_DIGITS} digits`);
    return x;
  };
}

/**
 * Checks an administrator's expression against the allow-list and compiles it into exact
 * arithmetic. Pure; parsing happens once here, never per unit. Every rejection names the
 * construct and, where known, its position. An expression that is refused is an answer
 * (`ok: false` with its problems), not a throw.
 *
 * @throws InputError of subject "argument" for what the caller passed wrong, every issue at
 * once: `expression` that is not text; `names` that is no object, whose `inputs` or
 * `categories` is no list or holds an entry that is not text (path `names.inputs[i]`), whose
 * `self` is neither text nor undefined, or with another field (misspelt: the issue says which
 * was meant).
 */
export function compileFormula(expression: string, names: FormulaNames): FormulaCompilation {
  checkCompileArguments(expression, names);
  if (expression.trim() === "") return { ok: false, problems: [{ message: "the expression is empty" }] };
  // mathjs reads "# note" as a constant with no value: a formula commented out is empty, and says so.
  if (expression.replace(/#[^\n]*/g, "").trim() === "")
    return { ok: false, problems: [{ message: "the expression is empty: it holds only a comment (# …)" }] };
  if (expression.length > MAX_EXPRESSION_LENGTH)
    return {
      ok: false,
      problems: [{ message: `the expression is longer than ${MAX_EXPRESSION_LENGTH} characters` }],
    };
  const compiled = compileSource(lineBreaks(expression), names);
  if (compiled.ok) return { ok: true, formula: { ...compiled.formula, expression } };
  // Only a refused expression is searched: "×" is a letter to mathjs, so a category id may hold it.
  const typed = mistypedCharacters(expression);
  return typed.length > 0 ? { ok: false, problems: typed } : compiled;
}

/**
 * mathjs takes "\n" alone as a line break and "\r" as no whitespace at all, so text pasted from
 * Windows would fail; a space in place of "\r" keeps every character's position.
 */
function lineBreaks(expression: string): string {
  return expression.replace(/\r\n/g, " \n").replace(/\r/g, "\n");
}

function compileSource(expression: string, names: FormulaNames): FormulaCompilation {
  const lists: DeclaredNames = {
    inputs: nameList(names.inputs, "inputs"),
    categories: nameList(names.categories, "categories"),
  };
  const parsed = parseExpression(expression);
  if (!parsed.ok) return { ok: false, problems: syntaxProblems(expression, parsed, lists) };
  const tokens = tokenize(expression);
  const walker = new Walker(names, lists, new TokenCursor(tokens));
  let root: Typed | undefined;
  try {
    root = walker.node(soleStatement(parsed.node, tokens), 0, 1);
  } catch (e) {
    if (!(e instanceof Rejected)) throw e;
  }
  walker.nameUnknowns();
  if (root?.type === "boolean")
    walker.problems.push({
      message: "the expression gives a condition (true/false), not a number; use c ? a : b",
    });
  if (walker.problems.length > 0 || root?.type !== "number") return { ok: false, problems: walker.problems };
  const { run, show } = root;
  return {
    ok: true,
    formula: { expression, inputs: [...walker.inputs], categories: [...walker.categories], run, show },
  };
}

interface DeclaredNames {
  inputs: NameList;
  categories: NameList;
}

/**
 * A syntax error, and each declared name the expression holds that cannot be written: mathjs
 * stops at a Chinese category id with "Syntax error in part "业务 * 2"", which says nothing the
 * name's own problem does not, so that error is left out where it points into such a name.
 */
function syntaxProblems(
  expression: string,
  error: { message: string; position?: number | undefined },
  lists: DeclaredNames,
): FormulaProblem[] {
  const found = unwritableIn(expression, [lists.inputs, lists.categories]);
  const at = error.position;
  const inName = found.some((f) => at !== undefined && at >= f.position && at < f.position + f.name.length);
  const problems: FormulaProblem[] = found.map(({ name, position }) => ({
    message: unwritable(name, lists),
    position,
  }));
  if (!inName) problems.unshift({ message: error.message, position: at });
  return problems.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

/** Why a declared name cannot be read, and for a category, how it can be. */
function unwritable(name: string, lists: DeclaredNames): string {
  const reserved = isReservedWord(name);
  const why = reserved
    ? `"${name}" cannot be written in a formula because it is a word of the formula syntax (as true, NaN, and, mod are), not a name`
    : `"${name}" cannot be written in a formula because it is not a plain identifier`;
  // An input so named is refused where it is declared; a category's id is what a formula reads it by.
  if (lists.inputs.all.has(name)) return why;
  const id = reserved ? `another id, such as ${name}_points,` : "an id of letters, digits and _";
  return `${why}; give the category ${id} to read it (its name can stay as it is)`;
}

/**
 * mathjs reads a line break as the end of a statement, so "x * 2\n" is a block of one: a line
 * break around a single expression, as a text area leaves it, is not several statements.
 * A semicolon is, wherever it stands.
 */
function soleStatement(node: MathNode, tokens: readonly Token[]): MathNode {
  const blocks = (node as AnyNode).blocks;
  if (node.type !== "BlockNode" || blocks?.length !== 1 || !blocks[0]!.visible) return node;
  return tokens.some((t) => t.text === ";") ? node : blocks[0]!.node;
}

/**
 * Evaluates for one unit. A missing value or a division by zero is a reason, never a throw.
 * Unchecked: the engine calls it for every unit; the package exports formula-public.ts's.
 */
export function evaluateFormula(formula: CompiledExpression, scope: FormulaScope): FormulaEvaluation {
  try {
    return { ok: true, value: formula.run(scope) };
  } catch (e) {
    if (e instanceof FormulaFailure) return { ok: false, reason: e.message };
    throw e;
  }
}

/**
 * The expression with each name replaced by its value, for traces: "12 / 16 * 30".
 * Unchecked: the engine calls it for every unit; the package exports formula-public.ts's.
 */
export function substituteFormula(formula: CompiledExpression, scope: FormulaScope): string {
  return formula.show(scope);
}

/**
 * A problem as one line: "function \"cos\" is not allowed (at character 5)".
 *
 * @throws InputError of subject "argument", path `problem`, for other than one of
 * compileFormula's problems (an object with a `message`).
 */
export function describeProblem(problem: FormulaProblem): string {
  checkFormulaProblemArgument(problem);
  return problem.position === undefined
    ? problem.message
    : `${problem.message} (at character ${problem.position})`;
}

// ---------------------------------------------------------------- the walk

type Show = (scope: FormulaScope) => string;
type Typed =
  | { type: "number"; run: (scope: FormulaScope) => Rational; show: Show }
  | { type: "boolean"; run: (scope: FormulaScope) => boolean; show: Show };
type NumberFn = (scope: FormulaScope) => Rational;

/** Unwinds the walk after a construct whose tokens we cannot follow. */
class Rejected extends Error {}

// Fields of the node kinds we read; mathjs' own generics do not narrow on `type`.
interface AnyNode extends MathNode {
  name?: string;
  value?: unknown;
  op?: string;
  fn?: unknown;
  args?: MathNode[];
  implicit?: boolean;
  isPercentage?: boolean;
  content?: MathNode;
  condition?: MathNode;
  trueExpr?: MathNode;
  falseExpr?: MathNode;
  blocks?: { node: MathNode; visible: boolean }[];
}

const ARITHMETIC = new Set(["+", "-", "*", "/", "^"]);
const COMPARISON = new Set(["<", "<=", ">", ">=", "==", "!="]);
const LOGICAL = new Set(["and", "or"]);
const PREFIX_FNS = new Set(["unaryMinus", "unaryPlus", "not", "bitNot"]);
const DISABLED = new Set([
  "import",
  "createUnit",
  "evaluate",
  "parse",
  "simplify",
  "derivative",
  "resolve",
  "compile",
]);

const CONSTRUCTS: Record<string, [what: string, hint?: string]> = {
  AccessorNode: ["property access or indexing"],
  IndexNode: ["indexing"],
  AssignmentNode: ["assignment"],
  FunctionAssignmentNode: ["function definition"],
  ArrayNode: ["array"],
  ObjectNode: ["object"],
  RangeNode: ["range"],
  BlockNode: ["several statements", "write one expression, without ; or line breaks"],
  RelationalNode: ["chained comparison", "write a < b and b < c"],
};

function snippet(node: MathNode): string {
  let text: string;
  try {
    text = node.toString();
  } catch {
    return "";
  }
  text = text.replace(/\s+/g, " ");
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function wrap(value: Rational): string {
  const text = toExactString(value);
  return value.n < 0n || text.includes("/") ? `(${text})` : text;
}

/** Reads "12.5", ".5", "2.", "1e3" exactly; anything else (hex, NaN, Infinity) is refused. */
function readLiteral(text: string): Rational | string {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[1] === "" && !m[2]))
    return `number "${text}" is not allowed; write a plain decimal such as 12.5`;
  const exponent = Number(m[3] ?? "0");
  if (Math.abs(exponent) > MAX_LITERAL_EXPONENT) return `number "${text}" is out of range`;
  const frac = m[2] ?? "";
  const scale = exponent - frac.length;
  const digits = BigInt((m[1] || "0") + frac);
  const value = scale >= 0 ? ratio(digits * 10n ** BigInt(scale)) : ratio(digits, 10n ** BigInt(-scale));
  return tooLong(value) ? `number "${text.slice(0, 20)}…" has more than ${MAX_DIGITS} digits` : value;
}

/** Names an unknown name's refusal lists of each kind; the rest are counted. */
const LISTED_NAMES = 12;

class Walker {
  readonly problems: FormulaProblem[] = [];
  readonly inputs = new Set<string>();
  readonly categories = new Set<string>();
  private count = 0;
  /** Each unknown name is one problem, however often it stands: its first place and a count. */
  private readonly unknowns = new Map<string, { problem: FormulaProblem; times: number }>();
  /** Declared names the syntax reads as its own constants, each refused once. */
  private readonly reservedSeen = new Set<string>();
  /** A `not` node a comparison applies to (`not x > 5`) → the bracketing it was meant to have. */
  private readonly notMeant = new Map<MathNode, string>();

  constructor(
    private readonly names: FormulaNames,
    private readonly lists: DeclaredNames,
    private readonly cursor: TokenCursor,
  ) {}

  private soft(message: string, position: number | undefined): undefined {
    this.problems.push({ message, position });
    return undefined;
  }

  private hard(message: string, position = this.cursor.position): never {
    this.problems.push({ message, position });
    throw new Rejected();
  }

  /** `powers` is the product of the exponents this node is raised to, to bound value sizes. */
  node(n: MathNode, depth: number, powers: number): Typed | undefined {
    if (depth > MAX_DEPTH) this.hard(`the expression is nested more than ${MAX_DEPTH} levels deep`);
    if (++this.count > MAX_NODES) this.hard(`the expression has more than ${MAX_NODES} parts`);
    const node = n as AnyNode;
    switch (node.type) {
      case "ConstantNode":
        return this.constant(node);
      case "SymbolNode":
        return this.symbol(node.name ?? "");
      case "ParenthesisNode": {
        this.cursor.expect("(");
        const inner = this.node(node.content!, depth + 1, powers);
        this.cursor.expect(")");
        if (!inner) return undefined;
        const show = inner.show;
        // A negative or fractional value is already shown in parentheses; "((-3))" reads badly.
        if (node.content!.type === "SymbolNode") return inner;
        return { ...inner, show: (s) => `(${show(s)})` } as Typed;
      }
      case "OperatorNode":
        return this.operator(node, depth, powers);
      case "ConditionalNode":
        return this.conditional(node, depth, powers);
      case "FunctionNode":
        return this.call(node, depth, powers);
      default: {
        const [what, hint] = CONSTRUCTS[node.type] ?? [`"${node.type}"`];
        return this.hard(`${what} "${snippet(node)}" is not allowed${hint ? `; ${hint}` : ""}`);
      }
    }
  }

  private constant(node: AnyNode): Typed | undefined {
    const value = node.value;
    // mathjs reads a category id such as "NaN" or "true" as its own constant, wherever it stands.
    const word = value instanceof NumberText ? value.text : String(value);
    if (this.lists.inputs.all.has(word) || this.lists.categories.all.has(word)) {
      const position = this.cursor.expect(word);
      if (this.reservedSeen.has(word)) return undefined;
      this.reservedSeen.add(word);
      return this.soft(unwritable(word, this.lists), position);
    }
    if (!(value instanceof NumberText)) {
      const what = typeof value === "string" ? "text string" : `constant`;
      return this.hard(`${what} ${snippet(node)} is not allowed`);
    }
    const read = readLiteral(value.text);
    if (typeof read === "string") return this.hard(read);
    this.cursor.expect(value.text);
    const text = value.text;
    return { type: "number", run: () => read, show: () => text };
  }

  private symbol(name: string): Typed | undefined {
    const position = this.cursor.expect(name);
    if (name === this.names.self)
      return this.soft(`the formula cannot refer to its own category "${name}"`, position);
    const isInput = this.lists.inputs.all.has(name);
    const isCategory = this.lists.categories.all.has(name);
    if (isInput && isCategory)
      return this.soft(`"${name}" is ambiguous: it is both a declared input and a category`, position);
    if (!isInput && !isCategory) return this.unknown(name, position);
    (isInput ? this.inputs : this.categories).add(name);
    const what = isInput ? `input "${name}"` : `category "${name}"`;
    return {
      type: "number",
      run: (s) => {
        const v = s.get(name);
        if (v === undefined) throw new FormulaFailure(`${what} missing`);
        if (tooLong(v)) throw new FormulaFailure(`${what} has more than ${MAX_DIGITS} digits`);
        return v;
      },
      show: (s) => {
        const v = s.get(name);
        return v === undefined ? name : wrap(v);
      },
    };
  }

  /** Counted during the walk; its message is written once it is over (`nameUnknowns`). */
  private unknown(name: string, position: number | undefined): undefined {
    const seen = this.unknowns.get(name);
    if (seen) {
      seen.times++;
      return undefined;
    }
    const problem = { message: `unknown name "${name}"`, position };
    this.unknowns.set(name, { problem, times: 1 });
    this.problems.push(problem);
    return undefined;
  }

  /**
   * Writes each unknown name's message, after the walk: the allowed names are listed from every
   * declared one, so writing it again at each use cost 300 uses × 60,000 ids.
   */
  nameUnknowns(): void {
    if (this.unknowns.size === 0) return;
    const parts = [
      this.listed("inputs", this.lists.inputs.writable),
      this.listed("categories", this.lists.categories.writable),
    ].filter(Boolean);
    const allowed = parts.length > 0 ? parts.join("; ") : "no names are declared";
    for (const [name, { problem, times }] of this.unknowns) {
      const where = times > 1 ? ` (${times} times)` : "";
      problem.message = `unknown name "${name}"${where}; allowed: ${allowed}`;
      // Only a name the unknown one is a whole part of: "eval" of "public-eval", not "e".
      const meant =
        this.lists.inputs.unwritableByPart.get(name) ?? this.lists.categories.unwritableByPart.get(name);
      if (meant !== undefined) problem.message += `; ${unwritable(meant, this.lists)}`;
    }
  }

  /** "inputs a, b, c", the first few of a long list and how many more. */
  private listed(what: string, names: readonly string[]): string {
    const shown: string[] = [];
    let total = 0;
    for (const name of names) {
      if (name === this.names.self) continue;
      total++;
      if (shown.length < LISTED_NAMES) shown.push(name);
    }
    if (total === 0) return "";
    const more = total - shown.length;
    return `${what} ${shown.join(", ")}${more > 0 ? ` … and ${more.toLocaleString("en")} more` : ""}`;
  }

  private operator(node: AnyNode, depth: number, powers: number): Typed | undefined {
    const args = node.args ?? [];
    const op = node.op ?? "";
    if (node.isPercentage) {
      this.node(args[0]!, depth + 1, powers);
      return this.hard(`the percent sign is not allowed; divide by 100 instead`);
    }
    if (node.implicit) {
      this.node(args[0]!, depth + 1, powers);
      return this.hard(
        `implicit multiplication before "${snippet(args[1]!)}" is not allowed; write * (units and imaginary numbers are not supported)`,
      );
    }
    if (args.length === 1) {
      const prefix = PREFIX_FNS.has(String(node.fn));
      if (!prefix) this.node(args[0]!, depth + 1, powers);
      if (op !== "-" && op !== "+" && op !== "not") return this.hard(`operator "${op}" is not allowed`);
      const position = this.cursor.expect(op);
      const arg = this.node(args[0]!, depth + 1, powers);
      if (!arg) return undefined;
      if (op === "not") {
        if (arg.type !== "boolean") {
          const meant = this.notMeant.get(node);
          const hint = meant === undefined ? "" : `; it applies to what follows it alone: write ${meant}`;
          return this.soft(`"not" needs a condition, not a number${hint}`, position);
        }
        const run = arg.run;
        return { type: "boolean", run: (s) => !run(s), show: (s) => `not ${arg.show(s)}` };
      }
      if (arg.type !== "number") return this.soft(`"${op}" needs a number, not a condition`, position);
      const run = arg.run;
      return {
        type: "number",
        run: op === "-" ? (s) => neg(run(s)) : run,
        show: (s) => `${op}${arg.show(s)}`,
      };
    }
    if (op === "^") return this.power(node, depth, powers);
    // "not" binds tighter than a comparison: "not x > 5" compares "not x" with 5.
    const first = args[0] as AnyNode;
    if (COMPARISON.has(op) && first.type === "OperatorNode" && first.op === "not" && first.args?.length === 1)
      this.notMeant.set(first, `not (${snippet(first.args[0]!)} ${op} ${snippet(args[1]!)})`);
    // mathjs builds "a + b + c + …" as a left-leaning tree: a chain written flat is not nesting,
    // and the node limit already bounds its length.
    const left = this.node(args[0]!, depth, powers);
    if (!ARITHMETIC.has(op) && !COMPARISON.has(op) && !LOGICAL.has(op))
      return this.hard(`operator "${op}" is not allowed`);
    const position = this.cursor.expect(op);
    const rightPosition = this.cursor.position;
    const right = this.node(args[1]!, depth + 1, powers);
    if (!left || !right) return undefined;
    // Every unit that reached it would fail: a mistake to say now, not once per unit.
    if (op === "/" && isZeroLiteral(args[1]!))
      return this.soft(
        `division by zero in "${snippet(node)}": the divisor is 0, so it can never give a value`,
        rightPosition,
      );
    const show: Show = (s) => `${left.show(s)} ${op} ${right.show(s)}`;
    if (LOGICAL.has(op)) {
      if (left.type !== "boolean" || right.type !== "boolean")
        return this.soft(`"${op}" needs conditions on both sides, such as a > 0 ${op} b > 0`, position);
      const [l, r] = [left.run, right.run];
      return { type: "boolean", run: op === "and" ? (s) => l(s) && r(s) : (s) => l(s) || r(s), show };
    }
    if (left.type !== "number" || right.type !== "number")
      return this.soft(`"${op}" needs numbers on both sides, not a condition`, position);
    const [l, r] = [left.run, right.run];
    if (COMPARISON.has(op)) return { type: "boolean", run: compare(op, l, r), show };
    const text = snippet(node);
    return { type: "number", run: bounded(arithmetic(op, l, r, text), text), show };
  }

  private power(node: AnyNode, depth: number, powers: number): Typed | undefined {
    const [base, exponent] = node.args as [MathNode, MathNode];
    let e: AnyNode = exponent as AnyNode;
    while (e.type === "ParenthesisNode" && e.content) e = e.content as AnyNode;
    const text = e.type === "ConstantNode" && e.value instanceof NumberText ? e.value.text : "";
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    const valid = value <= MAX_EXPONENT;
    const product = powers * Math.max(1, valid ? value : 1);
    const left = this.node(base, depth + 1, product);
    const position = this.cursor.expect("^");
    const exponentPosition = this.cursor.position;
    const right = this.node(exponent, depth + 1, powers);
    if (!valid)
      return this.soft(
        `the exponent after "^" must be a whole number from 0 to ${MAX_EXPONENT}`,
        exponentPosition,
      );
    if (product > MAX_POWER_PRODUCT)
      return this.soft(`powers are nested too high (more than ${MAX_POWER_PRODUCT} in total)`, position);
    if (!left || !right) return undefined;
    if (left.type !== "number") return this.soft(`"^" needs a number, not a condition`, position);
    const run = left.run;
    return {
      type: "number",
      run: bounded((s) => power(run(s), value), snippet(node)),
      show: (s) => `${left.show(s)} ^ ${right.show(s)}`,
    };
  }

  private conditional(node: AnyNode, depth: number, powers: number): Typed | undefined {
    const condPosition = this.cursor.position;
    const cond = this.node(node.condition!, depth + 1, powers);
    this.cursor.expect("?");
    const yes = this.node(node.trueExpr!, depth + 1, powers);
    const position = this.cursor.expect(":");
    const no = this.node(node.falseExpr!, depth + 1, powers);
    if (!cond || !yes || !no) return undefined;
    if (cond.type !== "boolean")
      return this.soft(`the condition before "?" must be a comparison, such as a > 0`, condPosition);
    if (yes.type !== no.type)
      return this.soft(`both branches of "? :" must be numbers, or both conditions`, position);
    const [c, a, b] = [cond.run, yes.run, no.run] as const;
    const show: Show = (s) => `${cond.show(s)} ? ${yes.show(s)} : ${no.show(s)}`;
    return { type: yes.type, run: (s: FormulaScope) => (c(s) ? a(s) : b(s)), show } as Typed;
  }

  private call(node: AnyNode, depth: number, powers: number): Typed | undefined {
    const fn = node.fn as AnyNode | undefined;
    if (fn?.type !== "SymbolNode")
      return this.hard(`calling the result of an expression ("${snippet(node)}") is not allowed`);
    const name = fn.name ?? "";
    const known = FORMULA_FUNCTIONS.get(name);
    if (!known && name !== "round") {
      const why = DISABLED.has(name) ? "is disabled in formulas" : "is not allowed";
      return this.hard(`function "${name}" ${why}; allowed functions: ${FUNCTION_SIGNATURES.join(", ")}`);
    }
    const position = this.cursor.expect(name);
    this.cursor.expect("(");
    const args: (Typed | undefined)[] = [];
    const argPositions: (number | undefined)[] = [];
    const argNodes = node.args ?? [];
    for (let i = 0; i < argNodes.length; i++) {
      if (i > 0) this.cursor.expect(",");
      argPositions.push(this.cursor.position);
      args.push(this.node(argNodes[i]!, depth + 1, powers));
    }
    this.cursor.expect(")");
    const signature = known?.signature ?? "round(x, n)";
    const [minArgs, maxArgs] = known ? [known.minArgs, known.maxArgs] : [1, 2];
    if (args.length < minArgs || args.length > maxArgs)
      return this.soft(`${name} takes ${signature}, not ${args.length} argument(s)`, position);
    if (args.some((a) => a === undefined)) return undefined;
    if (args.some((a) => a!.type !== "number"))
      return this.soft(`${name} needs numbers, not conditions`, position);
    const runs = args.map((a) => a!.run as NumberFn);
    const show: Show = (s) => `${name}(${args.map((a) => a!.show(s)).join(", ")})`;
    if (name === "clamp") {
      const [lo, hi] = [literalValue(argNodes[1]!), literalValue(argNodes[2]!)];
      if (lo !== undefined && hi !== undefined && cmp(lo, hi) > 0)
        return this.soft(
          `clamp: lower bound ${snippet(argNodes[1]!)} exceeds upper bound ${snippet(argNodes[2]!)}, so it can never give a value; write clamp(x, lo, hi) with lo ≤ hi`,
          argPositions[1],
        );
    }
    if (known) return { type: "number", run: (s) => known.apply(runs.map((r) => r(s))), show };
    const places = argNodes[1] === undefined ? 0 : placesOf(argNodes[1]);
    if (places === undefined)
      return this.soft(`round(x, n) needs n to be a whole number from 0 to ${MAX_PLACES}`, position);
    const x = runs[0]!;
    return { type: "number", run: (s) => round(x(s), places, "half-up"), show };
  }
}

/**
 * The value of a number written as such: "0", "(0)", "-0.0", "+1e2". Nothing is folded ("1 - 1" is
 * no literal): a literal is what an administrator can see at a glance is meant.
 */
function literalValue(node: MathNode): Rational | undefined {
  let n = node as AnyNode;
  let negative = false;
  for (;;) {
    if (n.type === "ParenthesisNode" && n.content) n = n.content as AnyNode;
    else if (
      n.type === "OperatorNode" &&
      n.args?.length === 1 &&
      (n.op === "-" || n.op === "+") &&
      !n.implicit
    ) {
      if (n.op === "-") negative = !negative;
      n = n.args[0] as AnyNode;
    } else break;
  }
  if (n.type !== "ConstantNode" || !(n.value instanceof NumberText)) return undefined;
  const value = readLiteral(n.value.text);
  if (typeof value === "string") return undefined;
  return negative ? neg(value) : value;
}

function isZeroLiteral(node: MathNode): boolean {
  const value = literalValue(node);
  return value !== undefined && isZero(value);
}

function placesOf(node: MathNode): number | undefined {
  const n = node as AnyNode;
  const text = n.type === "ConstantNode" && n.value instanceof NumberText ? n.value.text : "";
  return /^\d+$/.test(text) && Number(text) <= MAX_PLACES ? Number(text) : undefined;
}

function compare(op: string, l: NumberFn, r: NumberFn): (s: FormulaScope) => boolean {
  switch (op) {
    case "<":
      return (s) => cmp(l(s), r(s)) < 0;
    case "<=":
      return (s) => cmp(l(s), r(s)) <= 0;
    case ">":
      return (s) => cmp(l(s), r(s)) > 0;
    case ">=":
      return (s) => cmp(l(s), r(s)) >= 0;
    case "==":
      return (s) => eq(l(s), r(s));
    default:
      return (s) => !eq(l(s), r(s));
  }
}

function arithmetic(op: string, l: NumberFn, r: NumberFn, text: string): NumberFn {
  switch (op) {
    case "+":
      return (s) => add(l(s), r(s));
    case "-":
      return (s) => sub(l(s), r(s));
    case "*":
      return (s) => mul(l(s), r(s));
    default:
      return (s) => {
        const a = l(s);
        const b = r(s);
        if (isZero(b)) throw new FormulaFailure(`division by zero in "${text}"`);
        return div(a, b);
      };
  }
}

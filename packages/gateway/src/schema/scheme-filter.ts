import { unknownId } from "@pingyi/engine";
import { type Context, versionKey } from "../context.js";
import { type Cycle, ValidationError } from "../store/index.js";

type Declared = { id?: unknown; method?: { kind?: unknown; respondentGroups?: unknown; secret?: unknown } };

/** What the filters of one request read the scheme through. */
type Reader = Pick<Context, "store" | "loaders">;

/**
 * The ids the cycle's scheme version declares in one of its lists, read from the stored document
 * through the request's loader: a published version never changes, and a viewer's ballots were
 * read twice (the category filter and their secrecy), a province-scale document each time.
 */
export async function declared(
  ctx: Reader,
  cycle: Cycle,
  list: "findingTypes" | "categories",
): Promise<Declared[]> {
  const version =
    (await ctx.loaders.schemeVersion.load(versionKey(cycle.schemeId, cycle.schemeVersion))) ??
    // Never published: the store's NotFound, which says so.
    (await ctx.store.schemes.get(cycle.schemeId, cycle.schemeVersion));
  return ((version.document as Record<string, unknown>)[list] ?? []) as Declared[];
}

function refuse(cycle: Cycle, path: string, what: string, value: string, ids: ReadonlySet<string>): never {
  throw new ValidationError([
    {
      path,
      message: `${unknownId(what, value, ids, true)}, in scheme ${cycle.schemeId} v${cycle.schemeVersion}, which cycle '${cycle.id}' uses`,
    },
  ]);
}

/**
 * A filter naming something the cycle's scheme does not have (a misspelt finding type or
 * category) is refused: an empty list would read as "none", as an unknown unit would.
 */
export async function schemeFilter(
  ctx: Reader,
  cycle: Cycle,
  path: string,
  value: string | null | undefined,
  list: "findingTypes" | "categories",
): Promise<string | undefined> {
  if (value == null) return undefined;
  const known = await declared(ctx, cycle, list);
  if (!known.some((k) => k.id === value))
    refuse(
      cycle,
      path,
      list === "findingTypes" ? "finding type" : "category",
      value,
      new Set(known.map((k) => String(k.id))),
    );
  return value;
}

/**
 * A `category` argument (a GraphQL ID, so a number may arrive) checked as `schemeFilter`'s:
 * the filter the ballots, survey tallies and scores lists share.
 */
export function categoryFilter(
  ctx: Reader,
  cycle: Cycle,
  value: string | number | null | undefined,
): Promise<string | undefined> {
  return schemeFilter(ctx, cycle, "category", value == null ? null : String(value), "categories");
}

/**
 * A respondent group filter, refused as `schemeFilter`'s are when no survey category of the
 * cycle's scheme version declares the group ("resident" for "residents" would count no forms).
 */
export async function respondentGroupFilter(
  ctx: Reader,
  cycle: Cycle,
  path: string,
  value: string | null | undefined,
): Promise<string | undefined> {
  if (value == null) return undefined;
  const groups = new Set<string>();
  for (const category of await declared(ctx, cycle, "categories")) {
    const listed = category.method?.kind === "survey" ? category.method.respondentGroups : undefined;
    if (Array.isArray(listed)) for (const group of listed) groups.add(String(group));
  }
  if (!groups.has(value)) refuse(cycle, path, "respondent group", value, groups);
  return value;
}

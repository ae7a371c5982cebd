import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";

/** The fields of a selection named `name`, through its fragments, named or inline. */
function fieldsNamed(
  set: SelectionSetNode | undefined,
  name: string,
  fragments: GraphQLResolveInfo["fragments"],
): SelectionSetNode[] {
  const found: SelectionSetNode[] = [];
  const walk = (s: SelectionSetNode | undefined) => {
    for (const selection of s?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name)
          found.push(selection.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else walk(fragments[selection.name.value]?.selectionSet);
    }
  };
  walk(set);
  return found;
}

/**
 * Whether the field being resolved asks, at `path` below it (`["edges", "node"]`), for any of
 * `names`, under any alias and through fragments whatever their type condition. `@skip` and
 * `@include` are not read: a field they leave out counts as asked for, which errs on the side
 * of the bound that asks it.
 */
export function selects(
  info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">,
  path: readonly string[],
  names: readonly string[],
): boolean {
  let sets: (SelectionSetNode | undefined)[] = info.fieldNodes.map((f) => f.selectionSet);
  for (const step of path) sets = sets.flatMap((s) => fieldsNamed(s, step, info.fragments));
  return names.some((name) => sets.some((s) => fieldsNamed(s, name, info.fragments).length > 0));
}

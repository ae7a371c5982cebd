import type {
  ASTVisitor,
  GraphQLField,
  GraphQLNamedType,
  SelectionSetNode,
  ValidationContext,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  Kind,
} from "./graphql.js";

/**
 * Refuses a query that asks for an unpaged list inside the same list: `Unit.results` under
 * `UnitResult.unit` under `Unit.results`. The cost limit multiplies a selection by `first` or
 * `last`, and prices a list without them as one row; such a list is short on its own (a unit's
 * results: one a cycle), but nested in itself each level multiplies the rows by its length
 * again, while the price stays flat. Four levels over eight cycles and 29 units cost 2,080 of
 * the 50,000 allowed and held the gateway for 17 s (security review, thirty-fifth session).
 * A paged list nested in itself is priced by its `first` at each level, so it is left to the
 * cost limit.
 */
export function noListInItself(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  // The unpaged lists each fragment holds at any depth, worked out once: a fragment spread
  // many times is walked once, whatever the nesting (fragment cycles are refused by graphql's
  // own rule, and skipped here).
  const fragments = new Map<string, Set<string>>();
  const reported = new Set<string>();

  const listsIn = (
    set: SelectionSetNode,
    type: GraphQLNamedType | null | undefined,
    path: readonly string[],
    spreading: ReadonlySet<string>,
  ): Set<string> => {
    const found = new Set<string>();
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet || !type || !(isObjectType(type) || isInterfaceType(type))) continue;
        const field = type.getFields()[selection.name.value];
        if (!field) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const below = listsIn(selection.selectionSet, getNamedType(field.type), [...path, key], spreading);
        for (const c of below) found.add(c);
        if (!unpagedList(type, field)) continue;
        const coordinate = `${type.name}.${field.name}`;
        if (below.has(coordinate) && !reported.has(coordinate)) {
          reported.add(coordinate);
          context.reportError(
            new GraphQLError(
              `\`${coordinate}\` is asked for inside another \`${coordinate}\` (at ${[...path, key].join(".")}): ` +
                "each level multiplies the rows by the list's length, which the cost limit does not see; " +
                "ask for the inner list in a query of its own",
              { nodes: selection, extensions: { code: "QUERY_TOO_COSTLY" } },
            ),
          );
        }
        found.add(coordinate);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        for (const c of listsIn(selection.selectionSet, on, path, spreading)) found.add(c);
      } else {
        const name = selection.name.value;
        if (spreading.has(name)) continue;
        let inside = fragments.get(name);
        if (!inside) {
          const fragment = context.getFragment(name);
          if (!fragment) continue;
          const on = schema.getType(fragment.typeCondition.name.value);
          inside = listsIn(fragment.selectionSet, on, path, new Set([...spreading, name]));
          fragments.set(name, inside);
        }
        for (const c of inside) found.add(c);
      }
    }
    return found;
  };

  return {
    OperationDefinition(node) {
      const root = schema.getRootType(node.operation);
      listsIn(node.selectionSet, root, [], new Set());
      return false;
    },
  };
}

/**
 * A list of objects that takes no `first` or `last`: the cost limit prices it as one row. A
 * connection's `edges` are its page, priced by the connection's own `first`.
 */
function unpagedList(parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>): boolean {
  const item = getNamedType(field.type);
  return (
    isListType(getNullableType(field.type)) &&
    (isObjectType(item) || isInterfaceType(item) || isUnionType(item)) &&
    !field.args.some((a) => a.name === "first" || a.name === "last") &&
    !(isObjectType(parent) && "pageInfo" in parent.getFields())
  );
}

export const refuseListsInThemselves: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(noListInItself);
  },
};

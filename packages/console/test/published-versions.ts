import { expect } from "vitest";
import type { Stack } from "./harness.js";

/** Scheme `id` with one category scored out of `outOf`: each version a different scale. */
export const oneCategoryScheme = (id: string, outOf: number) => ({
  id,
  version: 1,
  name: id,
  categories: [{ id: "business", name: "Business", points: 100, method: { kind: "direct", outOf } }],
  groups: [{ id: "g", name: "g" }],
});

/**
 * Publishes scheme `id` as the admin, one version for each scale in `outOf` (version 1 out of the
 * first, each next one based on the one before), each with the reason `reason` gives it.
 */
export async function publishVersions(
  stack: Stack,
  id: string,
  outOf: readonly number[],
  reason: (outOf: number) => string,
): Promise<void> {
  const publish = `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename } }`;
  for (const [i, scale] of outOf.entries()) {
    const { body } = await stack.gateway.gql(
      publish,
      {
        i: {
          schemeId: id,
          basedOn: i === 0 ? null : i,
          document: oneCategoryScheme(id, scale),
          reason: reason(scale),
        },
      },
      { as: "admin" },
    );
    expect(body.data).toEqual({ publishSchemeVersion: { __typename: "SchemeVersion" } });
  }
}

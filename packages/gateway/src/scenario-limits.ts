import { GraphQLError } from "./graphql.js";
import { ValidationError } from "./store/errors.js";

/**
 * Bounds on saved scenarios. A shared scenario is read by every analyst who lists the cycle's
 * scenarios, so without them one analyst's saves decided what everyone else's requests cost:
 * twenty shared scenarios of 900,000 characters each made `scenarios { patch }` under 15 aliases
 * a 270 MB answer that took 26 s and grew the server by 1.4 GB.
 */

/**
 * The largest `saveScenario` `input.patch`, as UTF-8 JSON text. A scenario's rules are a few
 * hundred bytes; its data overrides (`findings` by id, `vetoEvents`) are ~45 bytes a finding, so
 * this holds a change to every one of ~5,000 findings, more than a province's year has.
 */
export const MAX_SCENARIO_PATCH_BYTES = 256 * 1024;

/** The most scenarios one analyst keeps on one cycle; deleting one makes room for another. */
export const MAX_SCENARIOS_PER_OWNER = 100;

/**
 * The most `Scenario.patch` text one request reads, all its fields together: 32 patches of the
 * largest size, thousands of the usual one (the console lists a cycle's scenarios with theirs).
 */
export const SCENARIO_PATCH_BYTES_PER_REQUEST = 8 * 1024 * 1024;

/** Refuses a patch over MAX_SCENARIO_PATCH_BYTES at `path`, saying its size and the limit. */
export function checkPatchSize(patch: unknown, path: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(patch) ?? "");
  if (bytes > MAX_SCENARIO_PATCH_BYTES)
    throw new ValidationError([
      {
        path,
        message: `is ${bytes.toLocaleString("en")} bytes as JSON, over the ${MAX_SCENARIO_PATCH_BYTES.toLocaleString("en")} (256 KB) a saved scenario may hold: save a smaller change, or split it into several scenarios`,
      },
    ]);
}

/**
 * Counts a patch against what the request may still read of them (`work.patchBytes`, from
 * SCENARIO_PATCH_BYTES_PER_REQUEST), refusing the request's answer beyond it with
 * QUERY_TOO_COSTLY, as the other limits on what a query asks for are refused.
 */
export function readPatch(work: { patchBytes: number }, patch: unknown): unknown {
  work.patchBytes -= Buffer.byteLength(JSON.stringify(patch) ?? "");
  if (work.patchBytes < 0)
    throw new GraphQLError(
      `this request reads more than ${SCENARIO_PATCH_BYTES_PER_REQUEST.toLocaleString("en")} bytes (8 MB) of scenario patches (Scenario.patch): ask for the patch of fewer scenarios, such as one with scenario(id:), and leave it out of lists`,
      { extensions: { code: "QUERY_TOO_COSTLY" } },
    );
  return patch;
}

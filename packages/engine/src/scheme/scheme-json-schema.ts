import { z } from "zod";
import { schemeSchema } from "./scheme-schema.js";

/**
 * The scheme format as JSON Schema (draft 2020-12), for editors that validate and
 * autocomplete scheme files. Describes the input form: fields with defaults are optional.
 */
export function schemeJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(schemeSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

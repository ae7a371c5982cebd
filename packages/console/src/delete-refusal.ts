import { ApiError } from "./api";

/** Why a delete was refused, for the refusals a page words itself; null: shown as the gateway says. */
export type DeleteRefusal = "gone" | "finalised" | "forbidden";

/**
 * The refusals of a delete that come from the page being out of date, or the signed-in role: the
 * gateway's English names the record or cycle for a developer, the page says it in its language.
 * A delete of one record names only its cycle and the record, so NOT_FOUND is the record's, or its
 * cycle's (deleted with every record in it): either way the record is gone.
 */
export function deleteRefusal(error: Error): DeleteRefusal | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "NOT_FOUND") return "gone";
  if (error.code === "CYCLE_FINALISED") return "finalised";
  if (error.code === "FORBIDDEN") return "forbidden";
  return null;
}

import { z } from "zod";

/** The longest import id (trimmed) the API, the command line and importFile take. */
export const MAX_IMPORT_ID_LENGTH = 200;

/**
 * An import id as the API and the command line take it (stored trimmed, so removeImport finds
 * it). Its own module: `pingyi remove-import` checks it without loading the GraphQL schema.
 */
export const importId = z.string().trim().min(1, "must not be empty").max(MAX_IMPORT_ID_LENGTH);

import { ROLES } from "../auth/roles.js";
import { IMPORT_KINDS } from "../store/types.js";

/** What `pingyi --help` prints: every command, its arguments and options. */
export const HELP = `pingyi — the Pingyi (评议) gateway

  pingyi serve                              start the GraphQL gateway (config: environment, see docs/configuration.md)
  pingyi import <cycle> <kind> <file> [--id <importId>] [--format csv|xlsx|json] [--encoding utf-8|gb18030] [--other-forms-than <importId>]
                                            kind: ${IMPORT_KINDS.join(" | ")}
                                            --id: by default <cycle>:<file name>:<size in bytes>
                                            --encoding: a CSV or JSON file's text encoding, not detected
                                            --other-forms-than: survey forms that tally as that import's do (or hold all of
                                            its forms and more) but are other forms, imported all the same (repeatable)
  pingyi imports <cycle>                    list a cycle's imports, newest first (tab-separated: id kind format rows actor created)
  pingyi remove-import <importId>           take an import out of its open cycle (as the API's removeImport)
  pingyi score <cycle> [--group <id>]       print a cycle's ranking table
  pingyi move-database --to <postgres url> [--dry-run]
                                            copy the embedded database (PINGYI_DATA_DIR) into a new, empty PostgreSQL
                                            database, every table in one transaction; the data directory is left as it was;
                                            --dry-run: do it all and roll it back, writing nothing
  pingyi token <role> <subject> [--expires 12h]   mint a bearer token, lasting a year at most (role: ${ROLES.join(" | ")})
  pingyi schema                             print the GraphQL schema (SDL)
  pingyi reference                          print the GraphQL reference (Markdown, docs/graphql-reference.md)
  pingyi scheme-schema                      print the JSON Schema of scheme documents (an editor's "$schema")
  pingyi config --markdown                  print the configuration reference
`;

/**
 * What follows a refused command line on stderr: the command's line of the help (read from it,
 * so the two cannot differ), or where the commands are listed. Not the whole help, and nothing on
 * stdout: `pingyi token … > ci.token` would keep it as the token.
 */
export function usagePointer(command: string | undefined): string {
  // A command's line is its usage, then the description after a run of spaces.
  const line =
    command === undefined
      ? undefined
      : HELP.split("\n").find((l) => l.startsWith(`  pingyi ${command} `) || l === `  pingyi ${command}`);
  const usage = line?.trim().split(/ {2,}/)[0];
  return usage ? `usage: ${usage} (see pingyi --help)` : "see pingyi --help for the commands";
}

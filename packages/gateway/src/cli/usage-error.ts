/**
 * A command line that cannot run as given: an argument or an option's value refused from its
 * words alone, before any database is opened. Told with the command's usage and exit code 2, so
 * a script can tell a mistake in how it calls `pingyi` from exit code 1, the work itself failing
 * (a database, a file, rows the import refused).
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

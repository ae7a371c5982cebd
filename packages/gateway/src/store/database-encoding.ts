import type { Db } from "./db.js";

/**
 * Why `db` cannot hold Pingyi's text ("stores text as …", of the database), or undefined when it
 * stores it as UTF-8. Unit names and survey answers are Chinese: a LATIN1 database fails a write
 * at its first such row, in the server's words (an import halfway through its file), and
 * SQL_ASCII keeps them as bytes it never checks and cannot read as text (lengths in bytes, no
 * case mapping). PGlite's databases are UTF-8.
 */
export async function encodingProblem(db: Db): Promise<string | undefined> {
  const [encoding] = await db.query<{ name: string }>(
    "SELECT pg_encoding_to_char(encoding) AS name FROM pg_database WHERE datname = current_database()",
  );
  if (encoding && encoding.name !== "UTF8")
    return `stores text as ${encoding.name}, not UTF-8, and Pingyi's (Chinese names, answers) would not go in whole: create it in UTF-8 (createdb --encoding=UTF8 --template=template0 …)`;
  return undefined;
}

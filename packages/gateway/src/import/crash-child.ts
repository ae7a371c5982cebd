/**
 * Child process for the crash test (crash.test.ts): imports generated survey forms and prints
 * "READY" once a good part of them is written inside the still-open transaction, so the parent
 * can SIGKILL it mid-import. Configured by environment: CRASH_DATABASE_URL or CRASH_DATA_DIR,
 * CRASH_CYCLE, CRASH_IMPORT_ID, CRASH_ROWS, CRASH_READY_AT.
 */
import { Store } from "../store/index.js";
import { importFile } from "./index.js";

const env = (k: string) => {
  const v = process.env[k];
  if (v === undefined) throw new Error(`${k} is not set`);
  return v;
};

const rows = Number(env("CRASH_ROWS"));
const readyAt = Number(env("CRASH_READY_AT"));

async function* csv(): AsyncGenerator<Uint8Array> {
  yield Buffer.from("category,unit,respondent_group,answer\n");
  const answers = ["满意", "基本满意", "不满意", "不了解"];
  for (let i = 0; i < rows; i += 1000) {
    let chunk = "";
    for (let j = i; j < Math.min(i + 1000, rows); j++)
      chunk += `public,u${1 + (j % 3)},r${j % 5},${answers[j % 4]}\n`;
    yield Buffer.from(chunk);
  }
}

const store = await Store.open({
  databaseUrl: process.env.CRASH_DATABASE_URL,
  dataDir: process.env.CRASH_DATA_DIR ?? "",
});
let signalled = false;
await importFile(store, {
  cycleId: env("CRASH_CYCLE"),
  kind: "survey-forms",
  format: "csv",
  importId: env("CRASH_IMPORT_ID"),
  actor: "crash-test",
  stream: csv(),
  onProgress: (n) => {
    if (!signalled && n >= readyAt) {
      signalled = true;
      process.stdout.write("READY\n");
    }
  },
});
process.stdout.write("DONE\n");
await store.close();

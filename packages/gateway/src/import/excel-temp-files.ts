/**
 * ExcelJS's streaming reader copies each worksheet that comes before the workbook's shared
 * strings (the order Excel writes them in) to a temporary file of the `tmp` package, and removes
 * it, closing the descriptor `tmp` left open on it, only once it has read that sheet through. A
 * read that stops early (an import refused at a merged header, a damaged zip, a sheet cut off for
 * its size) never gets there: the copy, about ten times the .xlsx, and its descriptor stayed for
 * as long as the gateway ran, on every refused upload. The reader's files are tracked per read
 * here, and what it did not remove is removed after the read ends (see `end`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { truncate } from "node:fs/promises";
import { createRequire } from "node:module";

/** `tmp`'s removal: closes the descriptor and unlinks the file, then calls `done`; once only. */
type Remove = (done?: (err?: Error) => void) => void;
type FileCallback = (err: Error | null, path: string, fd: number | undefined, remove: Remove) => void;

/** The files of the read whose step is running: ExcelJS makes them inside its iterator's `next`. */
const reading = new AsyncLocalStorage<Map<string, Remove>>();
let installed = false;

/**
 * Wraps `tmp.file` of the `tmp` instance ExcelJS itself requires (resolved from ExcelJS's own
 * directory), which it looks up on every call. Outside a tracked read it behaves as before.
 */
function install(): void {
  if (installed) return;
  installed = true;
  let tmp: { file: (...args: unknown[]) => unknown };
  try {
    tmp = createRequire(createRequire(import.meta.url).resolve("exceljs"))("tmp");
  } catch {
    // An ExcelJS that no longer copies through `tmp` leaves nothing of this kind to remove.
    return;
  }
  const file = tmp.file;
  tmp.file = (...args: unknown[]) => {
    const files = reading.getStore();
    const last = args.length - 1;
    const callback = args[last];
    if (files && typeof callback === "function") {
      const tracked: FileCallback = (err, path, fd, remove) => {
        if (err) return (callback as FileCallback)(err, path, fd, remove);
        files.set(path, remove);
        (callback as FileCallback)(null, path, fd, (done) => {
          files.delete(path);
          remove(done);
        });
      };
      // ExcelJS opens a copy by its path and never uses the descriptor `tmp` keeps open on it:
      // closed at once, a copy left behind (see `end`) holds none. Named, an operator can tell
      // the copies in TMPDIR from other programs' files.
      const given = last > 0 && typeof args[0] === "object" && args[0] !== null ? args[0] : {};
      return file({ prefix: "pingyi-xlsx", ...given, discardDescriptor: true }, tracked);
    }
    return file(...args);
  };
}

/** One read's temporary files: run each step of the read in `step`, and `end` them with the read. */
export class ExcelTempFiles {
  private readonly files = new Map<string, Remove>();

  constructor() {
    install();
  }

  step<T>(run: () => T): T {
    return reading.run(this.files, run);
  }

  /**
   * Removes what ExcelJS did not once `settled` has, when ExcelJS can no longer open a copy, and
   * empties it meanwhile. A copy removed while ExcelJS could still open one (a step nobody waits
   * for goes on to the copies it made, or opens one and then fails) failed to open with no one
   * to hear it, which ended the process (seen twice in CI). A file already gone is no error. If
   * `settled` never comes (see `ExcelWaits` for what it could wait on), the empty file stays
   * until the process exits (`tmp`'s graceful cleanup).
   */
  async end(settled: Promise<unknown>): Promise<void> {
    const remove = () => {
      const left = [...this.files.values()];
      this.files.clear();
      for (const r of left) r(() => undefined);
    };
    settled.then(remove, remove);
    await Promise.all([...this.files.keys()].map((path) => truncate(path, 0).catch(() => undefined)));
  }
}

import { createReadStream, createWriteStream, type ReadStream, rmSync, type WriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";

/** The temporary file a worksheet is read through could not be written or read (a full disk). */
export class TemporaryFileError extends Error {}

/**
 * A worksheet's XML read through once to a temporary file, each chunk shown to `look` on the way,
 * and then given from the file: what the sheet says after its rows (its merged cells) is known
 * before the first row is read, without holding the sheet in memory. ExcelJS already copies a
 * worksheet that comes before its shared strings (as Excel and ExcelJS store them) to a file of
 * its own; this copy is the sheet's XML once more, as long. `remove` deletes the file, also when
 * the reading was left unfinished.
 */
export class SpooledSheet {
  private dir: string | undefined;
  private removed = false;
  private readonly streams: (WriteStream | ReadStream)[] = [];

  async *read(
    xml: AsyncIterable<Uint8Array | string>,
    look: (latin1: string) => void,
  ): AsyncGenerator<Uint8Array> {
    try {
      const dir = await io(mkdtemp(join(tmpdir(), "pingyi-sheet-")));
      this.dir = dir;
      if (this.removed) return;
      const path = join(dir, "sheet.xml");
      const out = createWriteStream(path);
      this.streams.push(out);
      // Errors of the write stream are met by the write that waits for it, or by finished().
      out.on("error", () => undefined);
      for await (const chunk of xml) {
        const bytes =
          typeof chunk === "string"
            ? Buffer.from(chunk)
            : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        // latin1: one character a byte; what is looked for is ASCII.
        look(bytes.toString("latin1"));
        if (!out.write(bytes)) await io(drained(out));
      }
      out.end();
      await io(finished(out));
      const input = createReadStream(path);
      this.streams.push(input);
      const chunks = input[Symbol.asyncIterator]();
      for (;;) {
        const r = await io(chunks.next());
        if (r.done) break;
        yield r.value as Buffer;
      }
    } finally {
      this.remove();
    }
  }

  remove(): void {
    this.removed = true;
    for (const s of this.streams) s.destroy();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** The stream has room again, or has failed. */
function drained(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: unknown) => {
      out.off("drain", done);
      out.off("error", done);
      out.off("close", done);
      if (err) reject(err);
      else if (out.destroyed && !out.writableFinished) reject(new Error("the temporary file was closed"));
      else resolve();
    };
    out.on("drain", done);
    out.on("error", done);
    out.on("close", done);
  });
}

/** The temporary file's own failures, told apart from the workbook's. */
async function io<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw new TemporaryFileError(
      `could not copy the worksheet to a temporary file in ${tmpdir()}: ${(err as Error).message ?? String(err)}`,
      { cause: err },
    );
  }
}

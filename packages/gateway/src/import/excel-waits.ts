import { finished } from "node:stream";

type Destroyable = NodeJS.EventEmitter & { destroy(error?: Error): unknown; destroyed?: boolean };
type Entry = NodeJS.ReadableStream &
  Destroyable & {
    readableEnded?: boolean;
    pipe: <T extends NodeJS.WritableStream>(to: T, options?: { end?: boolean }) => T;
  };

/**
 * What ExcelJS may still be waiting on when a read ends: the zip, the entries it is reading, and
 * the temporary copies it writes of worksheets that come before the shared strings. unzipper
 * leaves an entry whose data fails to inflate neither ended nor errored (the error goes to the
 * zip's own stream), and a zip whose upload failed never ends; ExcelJS waited on them for as long
 * as the gateway ran, with a copy's file open and the read's other copies kept (they are removed
 * once ExcelJS is done: `ExcelTempFiles.end`). At the read's end each is failed, which ExcelJS
 * hears as an 'error' and stops on.
 */
export class ExcelWaits {
  private zip: Destroyable | undefined;
  private readonly entries = new Set<Entry>();
  private readonly writing = new Set<Destroyable>();
  private ended = false;

  /** Follows the zip unzipper parses the workbook with, and each entry it pushes (as objects). */
  watch(zip: NodeJS.ReadableStream): void {
    this.zip = zip as unknown as Destroyable;
    const stream = zip as unknown as { push: (chunk: unknown, ...rest: unknown[]) => boolean };
    const push = stream.push.bind(stream);
    stream.push = (chunk, ...rest) => {
      if (chunk && typeof (chunk as Partial<Entry>).pipe === "function") this.follow(chunk as Entry);
      return push(chunk, ...rest);
    };
  }

  private follow(entry: Entry): void {
    this.entries.add(entry);
    finished(entry, () => this.entries.delete(entry));
    // An entry ExcelJS takes only after the end (it had one more buffered) would wait as long.
    entry.on("newListener", (event: string | symbol) => {
      if (this.ended && event === "data") process.nextTick(() => this.fail(entry));
    });
    const pipe = entry.pipe.bind(entry);
    entry.pipe = <T extends NodeJS.WritableStream>(to: T, options?: { end?: boolean }): T => {
      const piped = pipe(to, options);
      const destination = to as unknown as Destroyable;
      if (typeof destination.destroy === "function") {
        this.writing.add(destination);
        // Written through is done with: a drain's destination (a transform) never ends its reading side.
        finished(destination as unknown as NodeJS.WritableStream, { readable: false }, () =>
          this.writing.delete(destination),
        );
        // A copy begun after the end (its temporary file came late) would wait as long.
        if (this.ended) this.fail(destination);
      }
      return piped;
    };
  }

  /**
   * Fails the zip, the entries being read (one not yet taken is failed when it is: failed before
   * ExcelJS listens, it would never end for it) and the copies being written.
   */
  end(): void {
    this.ended = true;
    for (const destination of this.writing) this.fail(destination);
    this.writing.clear();
    for (const entry of this.entries)
      if (entry.listenerCount("data") > 0 && !entry.readableEnded) this.fail(entry);
    this.entries.clear();
    if (this.zip) this.fail(this.zip);
  }

  private fail(stream: Destroyable): void {
    if (stream.destroyed) return;
    stream.on("error", () => undefined);
    stream.destroy(new Error("the XLSX read has ended"));
  }
}

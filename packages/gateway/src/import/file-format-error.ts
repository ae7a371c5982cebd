/** Thrown for problems that stop reading the file altogether (e.g. an unterminated quote). */
export class FileFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

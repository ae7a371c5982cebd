/** Characters Windows, macOS or a browser's download refuse in a file name, and control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/**
 * A download's file name from its parts ("whatif", "2018", "2019 改革"): the parts given, joined
 * by "-", each with the characters no file system takes replaced and its spaces as "_"; names
 * in Chinese are kept as they are.
 */
export function exportFileName(parts: (string | number | null | undefined)[], extension: string): string {
  const kept = parts
    .filter((p): p is string | number => p !== null && p !== undefined && String(p).trim() !== "")
    .map((p) => String(p).trim().replace(UNSAFE, "_").replace(/\s+/g, "_"));
  return `${kept.join("-")}.${extension}`;
}

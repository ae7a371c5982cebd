import { describe, expect, it } from "vitest";
import { ImportError } from "../store/errors.js";
import { ErrorList, MAX_LISTED_ERRORS } from "./error-list.js";
import { refusingValue } from "./refused-value.js";

const answer = (line: number, value = "满意") =>
  refusingValue(
    { line, column: "答案 (answer)", message: `answer "${value}": not an option` },
    { subject: `answer "${value}"`, reason: "not an option" },
  );
const byColumn = () => new ErrorList(() => 0);

describe("the bad rows of a refused file", () => {
  it("says the rows of one refused value once, at the first, with their count and first lines", () => {
    const list = byColumn();
    // Found out of order, as a batch's keys are checked after later rows were read.
    for (const line of [9, 2, 30, 5, 12]) list.add(answer(line));
    list.add({ line: 4, column: "unit", message: "required" });
    list.add(answer(7, "不满意"));
    list.add(answer(8, "不满意"));
    const err = list.error();
    expect(err).toBeInstanceOf(ImportError);
    expect(err.rows).toEqual([
      {
        line: 2,
        column: "答案 (answer)",
        message: 'answer "满意" (5 rows, the first at lines 2, 5, 9): not an option',
      },
      { line: 4, column: "unit", message: "required" },
      { line: 7, column: "答案 (answer)", message: 'answer "不满意" (2 rows, at lines 7, 8): not an option' },
    ]);
    expect(err.totalErrors).toBe(3);
    expect(err.badRows).toBe(8);
    expect(err.message).toBe(
      'import rejected: 8 bad rows (3 problems); nothing was written (first: line 2, 答案 (answer): answer "满意" (5 rows, the first at lines 2, 5, 9): not an option)',
    );
  });

  it("says a problem of the file as a whole (line 0) as the file's, not as a bad row at line 0", () => {
    const damaged = { line: 0, message: "not a readable XLSX workbook (the file is damaged …): FILE_ENDED" };
    expect(new ImportError([damaged]).message).toBe(
      "import rejected: a problem with the file as a whole; nothing was written (not a readable XLSX workbook (the file is damaged …): FILE_ENDED)",
    );
    expect(new ImportError([damaged, { line: 3, column: "unit", message: "required" }]).message).toBe(
      "import rejected: 1 bad row, and a problem with the file as a whole; nothing was written (not a readable XLSX workbook (the file is damaged …): FILE_ENDED)",
    );
  });

  it("leaves a value refused on one row as its own error, and counts by record in a JSON array", () => {
    const list = byColumn();
    list.add(answer(3));
    const one = list.error();
    expect(one.rows).toEqual([{ line: 3, column: "答案 (answer)", message: 'answer "满意": not an option' }]);
    expect(one.message).toMatch(/^import rejected: 1 bad row; nothing was written/);
    const json = byColumn();
    for (const record of [4, 2, 3, 9])
      json.add(
        refusingValue(
          { line: 1, record, column: "unit", message: "unknown unit 'U9' in this cycle" },
          { subject: "unit 'U9'", reason: "unknown in this cycle" },
        ),
      );
    expect(json.error().rows).toEqual([
      {
        line: 1,
        record: 2,
        column: "unit",
        message: "unit 'U9' (4 rows, the first at records 2, 3, 4): unknown in this cycle",
      },
    ]);
  });

  it("lists the first problems in the file's order, each refused value counting as one", () => {
    const list = byColumn();
    for (let line = 2; line < MAX_LISTED_ERRORS + 100; line++) list.add({ line, message: "required" });
    for (let line = 2; line < 500; line++) list.add(answer(line));
    const err = list.error();
    expect(err.rows).toHaveLength(MAX_LISTED_ERRORS);
    expect(err.rows[0]).toEqual({ line: 2, message: "required" });
    expect(err.rows[1]).toMatchObject({
      line: 2,
      message: expect.stringContaining("(498 rows, the first at lines 2, 3, 4)"),
    });
    expect(err.totalErrors).toBe(MAX_LISTED_ERRORS + 98 + 1);
  });
});

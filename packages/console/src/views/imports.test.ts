import { createElement } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import { memorySessionStorage } from "../_test-session-storage";
import { saveFormDraft } from "../draft-store";
import { IMPORT_KINDS } from "../imports-api";
import { UploadForm } from "./imports";

const drawn = () =>
  renderIn(
    "en",
    createElement(UploadForm, { cycleId: "2019", listed: [], begin: () => 1, latest: 0, onDone: () => {} }),
  );

/** The upload form's draft of cycle 2019, its boxes empty but for `boxes`. */
const kept = (boxes: Record<string, string>) =>
  saveFormDraft("imports.upload.2019", {
    kind: IMPORT_KINDS[0],
    fileName: "",
    format: "",
    encoding: "",
    importId: "",
    ...boxes,
  });

describe("the Imports page's restored note", () => {
  beforeEach(() => {
    memorySessionStorage();
  });

  it("is not shown by choices the page no longer offers, which show as the boxes' first", () => {
    kept({ kind: "VOTERS_OF_OLD", format: "ODS", encoding: "BIG5" });
    expect(drawn()).not.toContain('data-testid="import-restored"');
    kept({ kind: IMPORT_KINDS[1]! });
    expect(drawn()).toContain('data-testid="import-restored"');
    kept({ encoding: "GB18030" });
    expect(drawn()).toContain('data-testid="import-restored"');
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "@pingyi/engine";

const here = import.meta.dirname;
const read = (file: string): unknown => JSON.parse(readFileSync(join(here, file), "utf8"));

/** The seed year's two schemes and datasets, as plain JSON. */
export function loadSeedYear(): {
  scheme2018: unknown;
  scheme2019: unknown;
  dataset2018: Dataset;
  dataset2019: Dataset;
} {
  return {
    scheme2018: read("scheme-2018.json"),
    scheme2019: read("scheme-2019.json"),
    dataset2018: read("dataset-2018.json") as Dataset,
    dataset2019: read("dataset-2019.json") as Dataset,
  };
}

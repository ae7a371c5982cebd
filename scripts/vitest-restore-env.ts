/**
 * A setup file of the projects whose test files share one worker (`isolate: false`, see
 * `sharedModules` in vitest.config.ts). With isolation each file had a process of its own, so
 * a test that set `process.env.TZ` and forgot to put it back changed nothing for the next file;
 * sharing a worker, it would. `unstubEnvs` covers vi.stubEnv only: this puts back whatever a
 * file did to `process.env` directly, once the file is done. Vitest runs it before every file.
 */
import { afterAll } from "vitest";

const before = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
  for (const [key, value] of Object.entries(before)) if (process.env[key] !== value) process.env[key] = value;
});

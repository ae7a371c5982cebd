/**
 * A setup file of the projects whose test files share one worker (`isolate: false`, see
 * `sharedModules` in vitest.config.ts). With isolation each file had a process of its own, so
 * a test that set `process.env.TZ` and forgot to put it back changed nothing for the next file;
 * sharing a worker, it would. `unstubEnvs` covers vi.stubEnv only: this puts back whatever a
 * file did to `process.env` directly, once the file is done. Vitest runs it before every file.
 *
 * The same for the browser's globals that the console's tests stand in for in Node (storage,
 * location): `unstubGlobals` covers vi.stubGlobal only, and a file that defined sessionStorage
 * as a getter that refuses (src/_test-session-storage.ts) left the next file's plain assignment
 * to throw.
 */
import { afterAll } from "vitest";

const before = { ...process.env };

const BROWSER_GLOBALS = ["sessionStorage", "localStorage", "location", "window", "document", "navigator"];
const globalsBefore = new Map(
  BROWSER_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]),
);

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
  for (const [key, value] of Object.entries(before)) if (process.env[key] !== value) process.env[key] = value;
  for (const [name, descriptor] of globalsBefore) {
    const now = Object.getOwnPropertyDescriptor(globalThis, name);
    if (now?.value === descriptor?.value && now?.get === descriptor?.get && now?.set === descriptor?.set)
      continue;
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else if (now?.configurable) delete (globalThis as Record<string, unknown>)[name];
  }
});

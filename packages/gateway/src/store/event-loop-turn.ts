/**
 * One turn of the event loop (setImmediate: after the poll phase). On PGlite a statement runs
 * synchronously inside WASM and its promise resolves as a microtask: a write of many statements
 * in a row serves no timer or socket, `/health` included, until it ends. A turn between them lets
 * other requests be answered or queued.
 */
export function eventLoopTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

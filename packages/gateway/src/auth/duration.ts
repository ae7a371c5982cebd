import { decodeJwt, UnsecuredJWT } from "jose";

const epoch = () => Math.floor(Date.now() / 1000);

/**
 * A token's lifetime as jose reads it ("30m", "12h", "7d", "1.5y", "-1m"), in whole seconds;
 * jose's TypeError for text that is no duration. jose's own grammar, read through jose, so
 * `pingyi token` can check `--expires` before any key is looked up and measure exactly what
 * signing will mint. jose adds a duration to its own reading of the clock: that reading is taken
 * again when the second changes in between, or the answer would be a second off.
 */
export function durationSeconds(text: string): number {
  for (;;) {
    const before = epoch();
    const { exp } = decodeJwt(new UnsecuredJWT({}).setExpirationTime(text).encode());
    if (epoch() === before) return (exp as number) - before;
  }
}

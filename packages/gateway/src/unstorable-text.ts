// A surrogate in a `u` pattern matches only where it stands alone: a pair is one code point.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Why PostgreSQL cannot store `text` as sent, or undefined. Its text cannot hold NUL (U+0000),
 * and the driver would fail deep down ("Unexpected error."). A lone UTF-16 surrogate ("\ud800"
 * in JSON, half of a pair) has no UTF-8 form: both drivers would store U+FFFD in its place,
 * and the record, its audit entry and what the client reads back would differ from what it sent.
 */
export function unstorableText(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain NUL characters";
  if (LONE_SURROGATE.test(text))
    return "must not contain half of a UTF-16 surrogate pair (\\ud800–\\udfff alone), which cannot be stored as sent";
  return undefined;
}

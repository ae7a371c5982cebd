import { durationSeconds } from "../auth/duration.js";
import type { Role } from "../auth/roles.js";
import { UsageError } from "./usage-error.js";

/** What `pingyi token` mints without `--expires`. */
const DEFAULT_EXPIRES = "12h";

/** What `pingyi token` was asked to mint, read from its words alone. */
export interface TokenRequest {
  role: Role;
  subject: string;
  /** `--expires` as given, or the default: what signing is handed. */
  expires: string;
  /** How long the token will last, as jose reads `expires`. */
  seconds: number;
}

/**
 * `pingyi token`'s subject and `--expires`, checked before the configuration or any key is read:
 * a mistyped duration was said only once the secret had been found, so someone without it set
 * learned of the duration after fixing the secret. Whether the lifetime is more than the gateway
 * accepts needs the configuration, and is the caller's to check; so is a blank subject, refused as
 * every command's blank argument is.
 */
export function tokenRequest(role: Role, subject: string, expires: string | undefined): TokenRequest {
  // " alice " would be audited as another actor than "alice", as the engine refuses a voter id
  // with spaces around it. Only minting is refused: the gateway accepts a token another issuer
  // made with such a subject as sent, and records the actor as it is written there.
  if (subject.trim() !== subject)
    throw new UsageError(
      `<subject> ${JSON.stringify(subject)} has spaces around it: a subject is one exact name, which the audit log records as given; write it without them`,
    );
  const given = expires ?? DEFAULT_EXPIRES;
  let seconds: number;
  try {
    seconds = durationSeconds(given);
  } catch (err) {
    throw new UsageError(
      `--expires: '${given}' is not a duration such as 30m, 12h or 7d (${(err as Error).message})`,
    );
  }
  if (seconds <= 0) throw new UsageError(`--expires: '${given}' would make a token that has already expired`);
  return { role, subject, expires: given, seconds };
}

import { userInfo } from "node:os";

/**
 * Who ran the command, for the audit log: the login's name, also where USER is unset (a cron job,
 * a container, `sudo -i`); the account's own name when the environment does not say.
 */
export function cliActor(): string {
  let user = process.env.USER || process.env.LOGNAME;
  if (!user)
    try {
      user = userInfo().username;
    } catch {
      // A uid with no passwd entry (a container's arbitrary uid): then the uid itself.
      user = typeof process.getuid === "function" ? `uid ${process.getuid()}` : "";
    }
  return user ? `cli:${user}` : "cli";
}

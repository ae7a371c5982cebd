import { userInfo } from "node:os";

/**
 * Who ran the command, for the audit log: the login's name, also where USER is unset (a cron job,
 * a container, `sudo -i`); the account's own name when the environment does not say. Run through
 * sudo as the service's account, the person who ran sudo, as whom: `cli:alice (as pingyi)`.
 */
export function cliActor(env: NodeJS.ProcessEnv = process.env): string {
  let user = env.USER || env.LOGNAME;
  if (!user)
    try {
      user = userInfo().username;
    } catch {
      // A uid with no passwd entry (a container's arbitrary uid): then the uid itself.
      user = typeof process.getuid === "function" ? `uid ${process.getuid()}` : "";
    }
  const person = env.SUDO_USER;
  if (person && person !== user) return `cli:${person}${user ? ` (as ${user})` : ""}`;
  return user ? `cli:${user}` : "cli";
}

import type { VoteParams } from "../../scheme/scheme-schema.js";
import type { ScoringMethod } from "../scoring-method.js";
import { checkVoteParams } from "./vote-rules.js";
import { scoreVotes } from "./vote-score.js";
import { validateVoteData } from "./vote-validation.js";

/**
 * The `vote` scoring method (票决制): the mayor and government members score or grade each
 * unit; ballots are checked for validity, a quorum is required, and the valid ballots are
 * aggregated by mean, median, trimmed mean or per voter role. The value is on the ballot
 * scale (score ballots: `max`; grade ballots: `max` or the highest grade's points).
 */
export const voteMethod: ScoringMethod<VoteParams> = {
  kind: "vote",
  compile(params, { path }) {
    return { issues: checkVoteParams(params, path), compiled: undefined, dependsOn: [] };
  },
  validateData: validateVoteData,
  score: scoreVotes,
};

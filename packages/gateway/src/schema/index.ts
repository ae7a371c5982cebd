import { builder } from "../builder.js";
import { lexicographicSortSchema, printSchema } from "../graphql.js";
import { freshReadsAcrossWrites } from "./mutation-reads.js";
import { graphqlReference } from "./reference.js";
import "./common.js";
import "./units.js";
import "./results.js";
import "./cycles.js";
import "./ranking.js";
import "./effective-weights.js";
import "./unit-profile.js";
import "./schemes.js";
import "./scheme-withdrawals.js";
import "./records.js";
import "./events.js";
import "./ballots.js";
import "./delete-ballots.js";
import "./ballot-categories.js";
import "./survey-tallies.js";
import "./survey-categories.js";
import "./previous-scheme.js";
import "./delete-survey-forms.js";
import "./imports.js";
import "./audit.js";
import "./scenarios.js";
import "./whatif.js";
import "./compare-cycles.js";
import "./subscriptions.js";

export const schema = freshReadsAcrossWrites(builder.toSchema());

/** The SDL committed as packages/gateway/schema.graphql. */
export const printedSchema = (): string => `${printSchema(lexicographicSortSchema(schema))}\n`;

/** docs/graphql-reference.md. */
export const printedReference = (): string => graphqlReference(schema);

/**
 * What-if analysis (情景分析) over GraphQL: thin resolvers over the engine's what-if API. Every
 * number here is computed by @pingyi/engine (runScenario, weightSweep, monteCarlo, leaveOneOut,
 * and the figures and sampler defaults it exports beside them); the gateway picks the baseline,
 * gives its own arguments their defaults (samples, a Dirichlet's concentration, which the engine
 * requires), checks arguments and bounds the work, and pages the results.
 *
 * One file per analysis; what they share is in analysis-common.ts.
 */
import "./whatif-scenario.js";
import "./weight-sweep.js";
import "./uncertainty.js";
import "./leave-one-out.js";

// Re-exported for movements.ts, which shows a comparison of two evaluations as a WhatIf.
export { WhatIfRef, type WhatIfShape } from "./whatif-scenario.js";

// Shared with calls outside what-if (evaluate, countSurveyForms); kept here for what-if's imports.
export { knownOptions } from "../known-options.js";

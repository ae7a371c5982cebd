import fc from "fast-check";

// fast-check 4 keeps the error a property broke as the failure's `cause`, out of its message:
// the JSON report, and the summary CI keeps the end of, then said "Property failed after 17
// tests" and not which assertion failed, with what values. In the message, both show it.
fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true });

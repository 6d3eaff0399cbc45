// The one error type of lib/event: thrown by parseEvent and createEvent, carrying every problem.
import type { ValidationIssue } from "./model.js";

/** `PATH: MESSAGE`, with the detail in parentheses when there is one. */
export function formatIssue(issue: ValidationIssue): string {
  return issue.detail === undefined ? `${issue.path}: ${issue.message}` : `${issue.path}: ${issue.message} (${issue.detail})`;
}

export class QuantmEventError extends Error {
  declare readonly name: "QuantmEventError";
  /** Every problem found, each with its JSON path. Never empty. */
  readonly issues: ValidationIssue[];

  /** `what` says what was being checked, e.g. "Invalid QuantmEvent". */
  constructor(issues: ValidationIssue[], what = "Invalid QuantmEvent") {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(`${what} (${count}): ${issues.map(formatIssue).join("; ")}`);
    this.issues = issues;
  }
}

// On the prototype rather than as a field, so that the stack trace header (captured by the Error
// constructor, before any field initialiser runs) already reads "QuantmEventError: ...".
Object.defineProperty(QuantmEventError.prototype, "name", { value: "QuantmEventError", writable: true, configurable: true });

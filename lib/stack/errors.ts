// One error type for everything the stack can refuse to do, with a code callers can branch on.
// Messages are complete sentences for a terminal: what went wrong, and what to do about it.

export type StackErrorCode =
  | "port-busy"
  | "no-go"
  | "build-failed"
  | "exited-at-start"
  | "health-timeout"
  | "stop-failed"
  | "not-managed";

export class StackError extends Error {
  override name = "StackError";
  readonly code: StackErrorCode;

  constructor(code: StackErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

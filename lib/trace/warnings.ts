// Warnings from the telemetry path: said once per kind of problem (a service that records a
// million bad events must not write a million lines), through OpenTelemetry's diag logger and a
// sink that defaults to process.emitWarning.
import { diag } from "@opentelemetry/api";

/** Receives each distinct warning once. `code` is stable, e.g. "QUANTM_EVENTS_INVALID_EVENT". */
export type WarningSink = (message: string, code: string) => void;

export const emitProcessWarning: WarningSink = (message, code) => {
  if (typeof process !== "undefined" && typeof process.emitWarning === "function") {
    process.emitWarning(message, { type: "QuantmEventsWarning", code });
  }
};

// Kinds are few (a path and a message, a code); the cap only guards against a pathological key.
const MAX_KINDS = 256;

export class WarnOnce {
  private readonly seen = new Set<string>();

  constructor(private readonly sink: WarningSink) {}

  /** Warns unless a warning with this `kind` was already given. */
  warn(kind: string, code: string, message: string): void {
    if (this.seen.has(kind) || this.seen.size >= MAX_KINDS) return;
    this.seen.add(kind);
    diag.warn(message);
    try {
      this.sink(message, code);
    } catch {
      // A warning sink that throws must not turn a warning into a failure of the host.
    }
  }
}

// Event timestamps (RFC 3339 text) → OpenTelemetry HrTime, keeping sub-millisecond digits that
// Date.parse drops (an event stamped with microseconds starts its span at that microsecond).
import type { HrTime } from "@opentelemetry/api";

/** The span start time for an RFC 3339 timestamp; undefined when it does not parse. */
export function hrTimeFromTimestamp(timestamp: string): HrTime | undefined {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return undefined;
  let seconds = Math.floor(ms / 1000);
  let nanos = (ms - seconds * 1000) * 1_000_000;
  // Digits beyond the millisecond: the fraction starts after the seconds ("…:SS.").
  const dot = timestamp.indexOf(".", 19);
  if (dot === 19) {
    let digits = 0;
    let extra = 0;
    for (let i = 23; i < timestamp.length && digits < 6; i++, digits++) {
      const c = timestamp.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      extra = extra * 10 + c;
    }
    if (digits > 0) nanos += extra * 10 ** (6 - digits);
  }
  if (nanos >= 1e9) {
    seconds += 1;
    nanos -= 1e9;
  }
  return [seconds, nanos];
}

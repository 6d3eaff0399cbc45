// The seam between the bridge (which makes an event span active) and the logger (which reads it).
// The bridge stores the event, and the log fields computed once per span, in the OTel context,
// so a log call inside the span costs one context lookup and no attribute building.
import { createContextKey, type Context } from "@opentelemetry/api";
import type { QuantmEvent } from "../event/model.js";

/** Fields every log record written inside an event span (or a `handle` span) carries. */
export interface EventLogFields {
  readonly "quantm.event.id": string;
  readonly "quantm.context.scope": string;
  readonly "quantm.context.action": string;
  readonly "quantm.context.hook": string | number;
  readonly "quantm.subject.id": string;
  readonly "quantm.subject.name": string;
  readonly "quantm.subject.team_id": string;
}

export interface ActiveEvent {
  readonly event: QuantmEvent;
  readonly logFields: EventLogFields;
}

const ACTIVE_EVENT_KEY = createContextKey("quantm-events.active-event");

export function setActiveEvent(ctx: Context, active: ActiveEvent): Context {
  return ctx.setValue(ACTIVE_EVENT_KEY, active);
}

export function getActiveEvent(ctx: Context): ActiveEvent | undefined {
  return ctx.getValue(ACTIVE_EVENT_KEY) as ActiveEvent | undefined;
}

export function eventLogFields(event: QuantmEvent): EventLogFields {
  return Object.freeze({
    "quantm.event.id": event.id,
    "quantm.context.scope": event.context.scope,
    "quantm.context.action": event.context.action,
    "quantm.context.hook": event.context.hook,
    "quantm.subject.id": event.subject.id,
    "quantm.subject.name": event.subject.name,
    "quantm.subject.team_id": event.subject.team_id,
  });
}

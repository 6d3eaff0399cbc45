// validateEvent throughput against the CloudEvents SDK validating an equivalent CloudEvent (the same
// facts: id, source, type, subject, time, data, plus 8 extension attributes for the rest of the
// QuantmEvent context and subject). Both are measured in the same run, in interleaved rounds.
//   node --import tsx bench/validate.ts
import { CloudEvent } from "cloudevents";
import { v4 as uuidv4 } from "uuid";
import { compare, formatResults, isMain, type BenchResult } from "./harness.js";
import { createEvent, validateEvent, type QuantmEvent } from "../lib/event/index.js";

const POOL = 16; // distinct events, so that no side gets a single-object fast path

function quantmEvents(): QuantmEvent[] {
  const root = createEvent({
    context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" },
    subject: { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639", org_id: "6d1a8193-e542-4e54-817a-a7918b56236c", user_id: "1b6362aa-b556-4e68-b440-949250d44055" },
    payload: { number: 1, branch: "main", title: "Add new feature" },
  });
  // Round-tripped through JSON: the shape a consumer validates (parsed, not built in-process).
  return Array.from({ length: POOL }, (_, i) =>
    JSON.parse(JSON.stringify(createEvent({ parent: root, context: { ...root.context, action: `step${i}` }, subject: root.subject, payload: { number: i, branch: "main" } }))),
  );
}

/** Events that share no UUID with each other (a root event each, its own team and user). */
function unrelatedQuantmEvents(): QuantmEvent[] {
  return Array.from({ length: POOL }, (_, i) =>
    JSON.parse(
      JSON.stringify(
        createEvent({
          context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app", parent_id: uuidv4() },
          subject: { id: String(1000 + i), name: "repos", team_id: uuidv4(), user_id: uuidv4() },
          payload: { number: i },
        }),
      ),
    ),
  );
}

function cloudEventAttributes(e: QuantmEvent): Record<string, unknown> {
  return {
    specversion: "1.0",
    id: e.id,
    source: e.context.source,
    type: `${e.context.scope}.${e.context.action}`,
    subject: e.subject.id,
    time: e.timestamp,
    datacontenttype: "application/json",
    data: e.payload,
    // 8 extension attributes: the rest of the QuantmEvent.
    quantmversion: e.version,
    hook: String(e.context.hook),
    scope: e.context.scope,
    action: e.context.action,
    parentid: e.context.parent_id,
    rootid: e.context.root_id ?? e.id,
    subjectname: e.subject.name,
    teamid: e.subject.team_id,
  };
}

export async function measure(): Promise<BenchResult[]> {
  const events = quantmEvents();
  const unrelated = unrelatedQuantmEvents();
  const attributes = events.map(cloudEventAttributes);
  const cloudEvents = attributes.map((a) => new CloudEvent(a));
  let sink = 0;
  const ops = compare({
    validateEvent: (i) => {
      if (validateEvent(events[i & (POOL - 1)]).valid) sink++;
    },
    "validateEvent, no shared ids": (i) => {
      if (validateEvent(unrelated[i & (POOL - 1)]).valid) sink++;
    },
    "ce.validate()": (i) => {
      if (cloudEvents[i & (POOL - 1)]!.validate()) sink++;
    },
    "new CloudEvent()": (i) => {
      if (new CloudEvent(attributes[i & (POOL - 1)]!).id) sink++;
    },
  });
  if (sink === 0) throw new Error("benchmark bodies did not run");
  const ours = ops["validateEvent"]!;
  const ceValidate = ops["ce.validate()"]!;
  const ceNew = ops["new CloudEvent()"]!;
  const oursUnrelated = ops["validateEvent, no shared ids"]!;
  return [
    {
      name: "validate",
      value: ours,
      unit: "validations/s",
      baseline: ceValidate,
      ratio: ours / ceValidate,
      target: ">= 3",
      notes: {
        "ce.validate/s": ceValidate,
        "new CloudEvent/s": ceNew,
        "ratio vs new CloudEvent": (ours / ceNew).toFixed(2),
        "no-shared-ids/s": oursUnrelated,
        "no-shared-ids ratio": (oursUnrelated / ceValidate).toFixed(2),
      },
    },
  ];
}

if (isMain(import.meta.url)) {
  console.log(formatResults(await measure()));
}

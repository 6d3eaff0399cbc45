// The lineage walk: from one event id to the tree of its chain, across traces, using only what
// Jaeger holds (event spans carry quantm.event.id and quantm.context.parent_id).
import { NIL_UUID } from "../event/model.js";
import { JaegerClient, tagValue, type JaegerSpan, type JaegerTrace } from "./jaeger.js";

export interface LineageNode {
  eventId: string;
  parentId: string;
  traceId: string;
  spanId: string;
  /** RFC 3339, from the event span's start (= the event's timestamp). */
  time: string;
  hook: string | number;
  scope: string;
  action: string;
  subject: { id: string; name: string };
  service: string;
  /** Log records of this event: span events of its event span and of its handle spans. */
  logCount: number;
  children: LineageNode[];
}

export interface Lineage {
  /** The event asked about. */
  eventId: string;
  /** The topmost known ancestor: the whole tree hangs from it. */
  root: LineageNode;
  ancestors: string[];
  descendants: string[];
  traceIds: string[];
}

export class EventNotFoundError extends Error {
  override name = "EventNotFoundError";
}

export interface LineageOptions {
  /**
   * Replaces the span-event log counts, e.g. with counts from the log store; resolving to
   * undefined keeps the span-event counts.
   */
  countLogs?: (eventIds: string[]) => Promise<Map<string, number> | undefined>;
  /** Upper bound on events visited, so a runaway chain cannot hang the CLI. */
  maxEvents?: number;
}

const EVENT_ID = "quantm.event.id";
const PARENT_ID = "quantm.context.parent_id";

export async function findLineage(client: JaegerClient, eventId: string, options: LineageOptions = {}): Promise<Lineage> {
  const maxEvents = options.maxEvents ?? 10_000;
  const nodes = new Map<string, LineageNode>();
  const traceIds = new Set<string>();
  // Consumer (handle) spans by span id, so re-reading a trace does not count their logs twice.
  const consumerLogs = new Map<string, [eventId: string, logs: number]>();

  const absorb = (traces: JaegerTrace[]): void => {
    for (const t of traces) {
      traceIds.add(t.traceID);
      for (const span of t.spans) absorbSpan(t, span);
    }
  };
  const absorbSpan = (t: JaegerTrace, span: JaegerSpan): void => {
    const id = tagValue(span.tags, EVENT_ID);
    if (typeof id !== "string") return;
    if (tagValue(span.tags, "span.kind") !== "producer") {
      // handle spans carry the event's attributes; their logs belong to the event.
      consumerLogs.set(span.spanID, [id, span.logs.length]);
      return;
    }
    if (nodes.has(id)) return;
    nodes.set(id, {
      eventId: id,
      parentId: String(tagValue(span.tags, PARENT_ID) ?? NIL_UUID),
      traceId: span.traceID,
      spanId: span.spanID,
      time: new Date(span.startTime / 1000).toISOString(),
      hook: (tagValue(span.tags, "quantm.context.hook") as string | number | undefined) ?? "",
      scope: String(tagValue(span.tags, "quantm.context.scope") ?? ""),
      action: String(tagValue(span.tags, "quantm.context.action") ?? ""),
      subject: {
        id: String(tagValue(span.tags, "quantm.subject.id") ?? ""),
        name: String(tagValue(span.tags, "quantm.subject.name") ?? ""),
      },
      service: t.processes[span.processID]?.serviceName ?? "",
      logCount: span.logs.length,
      children: [],
    });
  };

  // 1. The event itself: a root event's trace id is its own id (R3), else search by tag.
  const ownTrace = await client.getTrace(eventId.replace(/-/g, ""));
  if (ownTrace) absorb([ownTrace]);
  if (!nodes.has(eventId)) absorb(await client.findTracesByTags({ [EVENT_ID]: eventId }));
  const target = nodes.get(eventId);
  if (!target) throw new EventNotFoundError(`event ${eventId} is not in Jaeger at ${client.baseUrl} (no span has quantm.event.id=${eventId})`);

  // 2. Ancestors: follow parent ids, loading the parent's trace when it is elsewhere (R5, ambient).
  const ancestors: string[] = [];
  for (let node: LineageNode | undefined = target; node && node.parentId !== NIL_UUID && ancestors.length < maxEvents; ) {
    if (!nodes.has(node.parentId)) absorb(await client.findTracesByTags({ [EVENT_ID]: node.parentId }));
    const parent = nodes.get(node.parentId);
    if (!parent) break; // the parent was never recorded (or has expired from Jaeger)
    ancestors.unshift(parent.eventId);
    node = parent;
  }
  const top = nodes.get(ancestors[0] ?? eventId)!;

  // 3. Descendants of the top, across traces: children may live in other traces (0.1 producers).
  const queried = new Set<string>();
  const queue = [top.eventId];
  while (queue.length > 0 && nodes.size < maxEvents) {
    const id = queue.shift()!;
    if (queried.has(id)) continue;
    queried.add(id);
    absorb(await client.findTracesByTags({ [PARENT_ID]: id }));
    for (const n of nodes.values()) if (n.parentId === id && !queried.has(n.eventId)) queue.push(n.eventId);
  }

  // 4. Assemble: children sorted by time; logs of handle spans added to their event.
  for (const [id, count] of consumerLogs.values()) {
    const n = nodes.get(id);
    if (n) n.logCount += count;
  }
  for (const n of nodes.values()) {
    const parent = n.parentId !== NIL_UUID ? nodes.get(n.parentId) : undefined;
    if (parent && n !== top) parent.children.push(n);
  }
  for (const n of nodes.values()) n.children.sort((a, b) => a.time.localeCompare(b.time));

  if (options.countLogs) {
    const counts = await options.countLogs([...nodes.keys()]);
    if (counts) for (const n of nodes.values()) n.logCount = counts.get(n.eventId) ?? 0;
  }

  const descendants: string[] = [];
  const collect = (n: LineageNode): void => {
    for (const c of n.children) {
      descendants.push(c.eventId);
      collect(c);
    }
  };
  collect(target);
  return { eventId, root: top, ancestors, descendants, traceIds: [...traceIds] };
}

/** The tree as text: one line per event, the asked-about event marked. */
export function formatLineage(lineage: Lineage): string {
  const lines: string[] = [];
  const walk = (n: LineageNode, prefix: string, childPrefix: string): void => {
    const mark = n.eventId === lineage.eventId ? "  ◀" : "";
    const logs = `${n.logCount} log${n.logCount === 1 ? "" : "s"}`;
    lines.push(
      `${prefix}${n.time}  ${n.hook}  ${n.scope}.${n.action}  ${n.subject.name}/${n.subject.id}  ${logs}  [${n.eventId}]${mark}`,
    );
    n.children.forEach((c, i) => {
      const last = i === n.children.length - 1;
      walk(c, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
    });
  };
  walk(lineage.root, "", "");
  return lines.join("\n");
}

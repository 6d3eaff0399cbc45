// lib/trace: QuantmEvents as OpenTelemetry spans (DESIGN §3, §4). Imports lib/event only.
export {
  createEventBridge,
  TRACER_NAME,
  type EventBridge,
  type EventBridgeOptions,
  type EventBridgeStats,
  type RecordOptions,
} from "./bridge.js";
export { EventIdGenerator, eventIdGenerator } from "./id-generator.js";
export { spanIdFromEventId, traceIdFromEventId } from "./ids.js";
export { baseAttributes, eventType, rootIdOf, type PayloadExport } from "./attributes.js";
export { LineageIndex, DEFAULT_LINEAGE_INDEX_SIZE } from "./lineage-index.js";
export { getActiveEvent, setActiveEvent, eventLogFields, type ActiveEvent, type EventLogFields } from "./active-event.js";
export type { WarningSink } from "./warnings.js";
export * from "./semconv.js";

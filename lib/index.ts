// The whole public API of quantm-events.
export * from "./event/model.js";

import { expect } from "chai";
import { normalizeEvent, validateEvent, NIL_UUID } from "../../lib/event/index.js";
import { PRIMER_EXAMPLE_JSON, minimalRawEvent, validEvent } from "./fixtures.js";

function deepFreeze<T>(x: T): T {
  if (typeof x === "object" && x !== null) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

describe("normalizeEvent", () => {
  it("fills the primer's defaults: parent_id and user_id = nil UUID, context.timestamp = timestamp", () => {
    const raw = deepFreeze(minimalRawEvent());
    const event = normalizeEvent(raw) as ReturnType<typeof validEvent>;
    expect(event.context.parent_id).to.equal(NIL_UUID);
    expect(event.subject.user_id).to.equal(NIL_UUID);
    expect(event.context.timestamp).to.equal("2024-05-01T12:00:00Z");
    expect(validateEvent(event, { strict: true }).valid).to.equal(true);
  });

  it("treats null like absent for those attributes", () => {
    const raw = minimalRawEvent() as { context: Record<string, unknown>; subject: Record<string, unknown> };
    raw.context.parent_id = null;
    raw.context.timestamp = null;
    raw.subject.user_id = null;
    const event = normalizeEvent(raw) as ReturnType<typeof validEvent>;
    expect([event.context.parent_id, event.subject.user_id, event.context.timestamp]).to.deep.equal([NIL_UUID, NIL_UUID, "2024-05-01T12:00:00Z"]);
  });

  it("never mutates its input (deep-frozen input works and is unchanged)", () => {
    const raw = deepFreeze(JSON.parse(PRIMER_EXAMPLE_JSON));
    const before = JSON.stringify(raw);
    const event = normalizeEvent(raw);
    expect(JSON.stringify(raw)).to.equal(before);
    expect(event).to.not.equal(raw);
  });

  it("returns the input itself when there is nothing to fill", () => {
    const event = validEvent();
    expect(normalizeEvent(event)).to.equal(event);
  });

  it("keeps given values and unknown attributes untouched (the payload by reference)", () => {
    const raw: Record<string, unknown> = { ...minimalRawEvent(), extra: { a: [1] }, context: { ...(minimalRawEvent().context as object), parent_id: "00112233-4455-6677-8899-aabbccddeeff", zone: "eu" } };
    const event = normalizeEvent(raw) as Record<string, Record<string, unknown>>;
    expect(event.extra).to.equal(raw.extra);
    expect(event.payload).to.equal(raw.payload);
    expect(event.context!.parent_id).to.equal("00112233-4455-6677-8899-aabbccddeeff");
    expect(event.context!.zone).to.equal("eu");
  });

  it("does not invent a context timestamp when the event timestamp is not a string", () => {
    const raw = { ...minimalRawEvent(), timestamp: 5 };
    const event = normalizeEvent(raw) as { context: Record<string, unknown> };
    expect(event.context).to.not.have.property("timestamp");
  });

  it("returns non-objects and objects without context/subject objects as they are", () => {
    for (const x of [null, undefined, 1, "s", [1], { context: "c", subject: 5 }]) expect(normalizeEvent(x)).to.equal(x);
  });

  it("copies a __proto__ key as a plain property, never as a prototype", () => {
    const raw = JSON.parse(`{"context": {"__proto__": {"polluted": true}}, "subject": {}}`);
    const event = normalizeEvent(raw) as { context: Record<string, unknown> };
    expect(Object.getPrototypeOf(event.context)).to.equal(Object.prototype);
    expect((event.context as { polluted?: unknown }).polluted).to.equal(undefined);
    expect(Object.hasOwn(event.context, "__proto__")).to.equal(true);
  });
});

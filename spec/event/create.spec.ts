import { expect } from "chai";
import { createEvent, validateEvent, QuantmEventError, NIL_UUID, SCHEMA_VERSION, type CreateEventInput } from "../../lib/event/index.js";
import { V4_TEAM } from "./fixtures.js";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function input(): CreateEventInput<{ number: number }> {
  return {
    context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" },
    subject: { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: V4_TEAM },
    payload: { number: 1 },
  };
}

describe("createEvent", () => {
  it("fills id (UUID v7), both timestamps, version and the nil-UUID defaults; the result is strictly valid", () => {
    const before = Date.now();
    const event = createEvent(input());
    expect(event.id).to.match(V7);
    expect(event.version).to.equal(SCHEMA_VERSION).and.equal("0.2.0");
    expect(event.timestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(event.context.timestamp).to.equal(event.timestamp);
    expect(Date.parse(event.timestamp)).to.be.within(before - 1, Date.now() + 1);
    expect(event.context.parent_id).to.equal(NIL_UUID);
    expect(event.subject.user_id).to.equal(NIL_UUID);
    expect(event.context).to.not.have.property("root_id");
    expect(event.payload).to.deep.equal({ number: 1 });
    expect(validateEvent(event, { strict: true })).to.deep.equal({ valid: true, errors: [] });
  });

  it("the timestamp is the time encoded in the generated id", () => {
    const event = createEvent(input());
    const ms = parseInt(event.id.replace(/-/g, "").slice(0, 12), 16);
    expect(event.timestamp).to.equal(new Date(ms).toISOString());
  });

  it("ids are unique and increase (UUID v7 order)", () => {
    const ids = Array.from({ length: 200 }, () => createEvent(input()).id);
    expect(new Set(ids).size).to.equal(200);
    expect([...ids].sort()).to.deep.equal(ids);
  });

  it("with parent: parent_id = parent.id, root_id = parent.id for a root parent, then the root all down the chain (R2)", () => {
    const root = createEvent(input());
    const child = createEvent({ parent: root, context: { ...root.context, action: "checked" }, subject: root.subject, payload: {} });
    const grandchild = createEvent({ parent: child, context: { ...child.context, action: "merged" }, subject: child.subject, payload: {} });
    expect(child.context).to.include({ parent_id: root.id, root_id: root.id, action: "checked" });
    expect(grandchild.context).to.include({ parent_id: child.id, root_id: root.id, action: "merged" });
    // Spreading the parent's context does not carry its timestamp over.
    expect(child.context.timestamp).to.equal(child.timestamp);
  });

  it("without parent, keeps parent_id and root_id given in the context (lineage from ids alone)", () => {
    const root = createEvent(input());
    const event = createEvent({ ...input(), context: { ...input().context, parent_id: root.id, root_id: root.id } });
    expect(event.context).to.include({ parent_id: root.id, root_id: root.id });
  });

  it("takes id, timestamp (string or Date), version and user_id when given", () => {
    const id = "0190f3c2-8a4b-7c3d-9e1f-2a3b4c5d6e7f";
    const a = createEvent({ ...input(), id, timestamp: "2024-01-02T03:04:05Z", version: "0.1.0" });
    expect(a).to.include({ id, timestamp: "2024-01-02T03:04:05Z", version: "0.1.0" });
    expect(a.context.timestamp).to.equal("2024-01-02T03:04:05Z");
    const b = createEvent({ ...input(), timestamp: new Date(Date.UTC(2024, 0, 2)), subject: { ...input().subject, user_id: V4_TEAM } });
    expect(b.timestamp).to.equal("2024-01-02T00:00:00.000Z");
    expect(b.subject.user_id).to.equal(V4_TEAM);
  });

  it("keeps a hook given as an integer, and unknown context/subject attributes", () => {
    const event = createEvent({ ...input(), context: { ...input().context, hook: 1, region: "eu" }, subject: { ...input().subject, tier: 3 } });
    expect(event.context.hook).to.equal(1);
    expect(event.context.region).to.equal("eu");
    expect(event.subject.tier).to.equal(3);
  });

  it("does not mutate its input", () => {
    const given = input();
    const before = JSON.stringify(given);
    createEvent(given);
    expect(JSON.stringify(given)).to.equal(before);
  });

  it("throws one QuantmEventError listing every problem of invalid input", () => {
    const bad = { context: { hook: "", scope: "pull_request", action: "", source: "s" }, subject: { id: "1", name: "repos", team_id: "team" }, payload: null } as unknown as CreateEventInput;
    let error: unknown;
    try {
      createEvent(bad);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(QuantmEventError);
    const e = error as QuantmEventError;
    expect(e.name).to.equal("QuantmEventError");
    expect(e.issues.map((i) => i.path)).to.deep.equal(["$.context.hook", "$.context.action", "$.subject.team_id", "$.payload"]);
    expect(e.message).to.match(/^Cannot create QuantmEvent \(4 problems\): \$\.context\.hook: Invalid hooks field .*; \$\.payload: Missing payload field$/);
  });

  it("rejects a non-object input, a bad id, a bad version and an invalid Date with QuantmEventError", () => {
    expect(() => createEvent(null as unknown as CreateEventInput)).to.throw(QuantmEventError, /Invalid createEvent input/);
    expect(() => createEvent({ ...input(), id: "abc" })).to.throw(QuantmEventError, /\$\.id: Missing or invalid event ID/);
    expect(() => createEvent({ ...input(), version: "1.0.0" })).to.throw(QuantmEventError, /Incompatible version 1\.0\.0/);
    expect(() => createEvent({ ...input(), timestamp: new Date(NaN) })).to.throw(QuantmEventError, /\$\.timestamp: Invalid timestamp field/);
  });
});

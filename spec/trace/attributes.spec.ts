import { expect } from "chai";
import * as incubating from "@opentelemetry/semantic-conventions/incubating";
import { createEvent, NIL_UUID } from "../../lib/event/index.js";
import {
  ATTR_CLOUDEVENTS_EVENT_ID,
  ATTR_CLOUDEVENTS_EVENT_SOURCE,
  ATTR_CLOUDEVENTS_EVENT_SUBJECT,
  ATTR_CLOUDEVENTS_EVENT_TYPE,
  ATTR_QUANTM_CONTEXT_ACTION,
  ATTR_QUANTM_CONTEXT_HOOK,
  ATTR_QUANTM_CONTEXT_PARENT_ID,
  ATTR_QUANTM_CONTEXT_ROOT_ID,
  ATTR_QUANTM_CONTEXT_SCOPE,
  ATTR_QUANTM_CONTEXT_SOURCE,
  ATTR_QUANTM_EVENT_ID,
  ATTR_QUANTM_EVENT_VERSION,
  ATTR_QUANTM_SUBJECT_ID,
  ATTR_QUANTM_SUBJECT_NAME,
  ATTR_QUANTM_SUBJECT_ORG_ID,
  ATTR_QUANTM_SUBJECT_TEAM_ID,
  ATTR_QUANTM_SUBJECT_USER_ID,
  baseAttributes,
  eventType,
  rootIdOf,
} from "../../lib/trace/index.js";
import { createAttributeBuilder } from "../../lib/trace/attributes.js";
import { childEvent, legacyChild, rootEvent, SOURCE, SUBJECT } from "./support.js";

describe("event → span attributes (DESIGN §3)", () => {
  it("the CloudEvents keys copied into lib/trace/semconv.ts are the incubating semantic conventions", () => {
    expect(ATTR_CLOUDEVENTS_EVENT_ID).to.equal(incubating.ATTR_CLOUDEVENTS_EVENT_ID);
    expect(ATTR_CLOUDEVENTS_EVENT_SOURCE).to.equal(incubating.ATTR_CLOUDEVENTS_EVENT_SOURCE);
    expect(ATTR_CLOUDEVENTS_EVENT_TYPE).to.equal(incubating.ATTR_CLOUDEVENTS_EVENT_TYPE);
    expect(ATTR_CLOUDEVENTS_EVENT_SUBJECT).to.equal(incubating.ATTR_CLOUDEVENTS_EVENT_SUBJECT);
  });

  it("uses exactly the exported key constants, in the table's order", () => {
    expect(Object.keys(baseAttributes(rootEvent()))).to.deep.equal([
      ATTR_QUANTM_EVENT_ID,
      ATTR_QUANTM_EVENT_VERSION,
      ATTR_QUANTM_CONTEXT_HOOK,
      ATTR_QUANTM_CONTEXT_SCOPE,
      ATTR_QUANTM_CONTEXT_ACTION,
      ATTR_QUANTM_CONTEXT_SOURCE,
      ATTR_QUANTM_CONTEXT_PARENT_ID,
      ATTR_QUANTM_CONTEXT_ROOT_ID,
      ATTR_QUANTM_SUBJECT_ID,
      ATTR_QUANTM_SUBJECT_NAME,
      ATTR_QUANTM_SUBJECT_TEAM_ID,
      ATTR_QUANTM_SUBJECT_USER_ID,
      ATTR_QUANTM_SUBJECT_ORG_ID,
      ATTR_CLOUDEVENTS_EVENT_ID,
      ATTR_CLOUDEVENTS_EVENT_SOURCE,
      ATTR_CLOUDEVENTS_EVENT_TYPE,
      ATTR_CLOUDEVENTS_EVENT_SUBJECT,
    ]);
  });

  it("a child event: every quantm.* and cloudevents.* attribute of the table", () => {
    const root = rootEvent();
    const event = createEvent({
      parent: root,
      context: { hook: "github", scope: "pull_request", action: "merged", source: SOURCE },
      subject: { ...SUBJECT, user_id: "1b6362aa-b556-4e68-b440-949250d44055", org_id: "6d1a8193-e542-4e54-817a-a7918b56236c" },
      payload: { secret: "x" },
    });
    expect(baseAttributes(event)).to.deep.equal({
      "quantm.event.id": event.id,
      "quantm.event.version": "0.2.0",
      "quantm.context.hook": "github",
      "quantm.context.scope": "pull_request",
      "quantm.context.action": "merged",
      "quantm.context.source": SOURCE,
      "quantm.context.parent_id": root.id,
      "quantm.context.root_id": root.id,
      "quantm.subject.id": SUBJECT.id,
      "quantm.subject.name": "repos",
      "quantm.subject.team_id": SUBJECT.team_id,
      "quantm.subject.user_id": "1b6362aa-b556-4e68-b440-949250d44055",
      "quantm.subject.org_id": "6d1a8193-e542-4e54-817a-a7918b56236c",
      "cloudevents.event_id": event.id,
      "cloudevents.event_source": SOURCE,
      "cloudevents.event_type": "pull_request.merged",
      "cloudevents.event_subject": `repos/${SUBJECT.id}`,
    });
    expect(eventType(event)).to.equal("pull_request.merged");
  });

  it("a root event: nil parent_id, root_id = its own id, no org_id when the subject has none", () => {
    const root = rootEvent();
    const attrs = baseAttributes(root);
    expect(attrs["quantm.context.parent_id"]).to.equal(NIL_UUID);
    expect(attrs["quantm.context.root_id"]).to.equal(root.id);
    expect(attrs["quantm.subject.user_id"]).to.equal(NIL_UUID);
    expect(attrs["quantm.subject.org_id"]).to.equal(undefined);
  });

  it("a 0.1 event with a parent and no root_id has no root_id attribute; an integer hook stays an integer", () => {
    const event = legacyChild(rootEvent(), "checked");
    expect(rootIdOf(event)).to.equal(undefined);
    expect(baseAttributes(event)["quantm.context.root_id"]).to.equal(undefined);
    expect(baseAttributes(event)["quantm.context.hook"]).to.equal(1);
  });

  it("the payload is not exported by default", () => {
    const attrs = createAttributeBuilder(undefined)(rootEvent("opened", { payload: { email: "a@b.c" } }));
    expect(Object.keys(attrs).filter((k) => k.startsWith("quantm.payload"))).to.deep.equal([]);
    expect(JSON.stringify(attrs)).to.not.contain("a@b.c");
  });

  it("an allow-list exports the chosen keys (nested with dots), as attribute values or JSON text", () => {
    const build = createAttributeBuilder({ allow: ["number", "head.ref", "labels", "mixed", "obj", "missing", "nothing", "head.missing.deeper"] });
    const event = rootEvent("opened", {
      payload: { number: 7, head: { ref: "main" }, labels: ["a", "b"], mixed: [1, "x"], obj: { k: true }, nothing: null, email: "a@b.c" },
    });
    const payload = Object.fromEntries(Object.entries(build(event)).filter(([k]) => k.startsWith("quantm.payload.")));
    expect(payload).to.deep.equal({
      "quantm.payload.number": 7,
      "quantm.payload.head.ref": "main",
      "quantm.payload.labels": ["a", "b"],
      "quantm.payload.mixed": '[1,"x"]',
      "quantm.payload.obj": '{"k":true}',
    });
  });

  it("a redaction function chooses the payload attributes; if it throws, the span goes without them", () => {
    const build = createAttributeBuilder({ redact: (payload) => ({ number: (payload as { number: number }).number, gone: undefined }) });
    const attrs = build(rootEvent("opened", { payload: { number: 3, email: "a@b.c" } }));
    expect(attrs["quantm.payload.number"]).to.equal(3);
    expect(Object.keys(attrs)).to.not.include("quantm.payload.gone");

    const errors: unknown[] = [];
    const failing = createAttributeBuilder({ redact: () => { throw new Error("boom"); } }, (e) => errors.push(e));
    const safe = failing(rootEvent());
    expect(safe["quantm.event.id"]).to.be.a("string");
    expect(Object.keys(safe).some((k) => k.startsWith("quantm.payload."))).to.equal(false);
    expect(errors).to.have.length(1);
  });

  it("rejects a payload option that is neither form, naming both", () => {
    expect(() => createAttributeBuilder({ redact: "no" } as never)).to.throw(TypeError, /expected \{ allow: string\[\] \} or \{ redact: function \}/);
  });

  it("childEvent helper sanity: R2 lineage from createEvent", () => {
    const root = rootEvent();
    const child = childEvent(root, "checked");
    const grandchild = childEvent(child, "rebased");
    expect(grandchild.context.root_id).to.equal(root.id);
    expect(grandchild.context.parent_id).to.equal(child.id);
  });
});

import { expect } from "chai";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import Ajv2020Module from "ajv/dist/2020.js";
import { eventJsonSchema, validateEvent, normalizeEvent, createEvent, NIL_UUID } from "../../lib/event/index.js";
import { RFC3339_SOURCE, UUID_SOURCE, UUID_V4_OR_V7_SOURCE, UUID_V7_SOURCE, semverWithMajorSource } from "../../lib/event/formats.js";
import { DELETE, PRIMER_EXAMPLE_JSON, V4_TEAM, V7_PARENT, minimalRawEvent, validEvent, withAttribute } from "./fixtures.js";

// ajv ships CommonJS with `exports.default`; under ESM the class is the default export itself.
type AjvClass = typeof Ajv2020Module.default;
const Ajv2020: AjvClass = (Ajv2020Module as unknown as { default?: AjvClass }).default ?? (Ajv2020Module as unknown as AjvClass);

type Schema = { properties: Record<string, { properties?: Record<string, unknown> } & Record<string, unknown>>; $defs: Record<string, { pattern: string }> };

describe("the JSON Schema", () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const check = ajv.compile(eventJsonSchema as object);

  it("compiles with ajv 8 (draft 2020-12) in strict mode", () => {
    expect(eventJsonSchema.$schema).to.equal("https://json-schema.org/draft/2020-12/schema");
    expect(check).to.be.a("function");
  });

  it("is the file shipped in the package (one source: lib/event/quantm-event.schema.json)", () => {
    const file = JSON.parse(readFileSync(new URL("../../lib/event/quantm-event.schema.json", import.meta.url), "utf8"));
    expect(eventJsonSchema).to.deep.equal(file);
    expect(Object.isFrozen(eventJsonSchema)).to.equal(true);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.exports["./schema.json"]).to.equal("./dist/event/quantm-event.schema.json");
  });

  it("uses the very patterns the validator implements (lib/event/formats.ts)", () => {
    const schema = eventJsonSchema as unknown as Schema;
    expect(schema.$defs.uuid!.pattern).to.equal(UUID_SOURCE);
    expect(schema.$defs.uuidV7!.pattern).to.equal(UUID_V7_SOURCE);
    expect(schema.$defs.timestamp!.pattern).to.equal(RFC3339_SOURCE);
    expect((schema.properties.subject!.properties!.team_id as { pattern: string }).pattern).to.equal(UUID_V4_OR_V7_SOURCE);
    expect(schema.properties.version!.pattern).to.equal(semverWithMajorSource(0));
  });

  // A corpus of valid and invalid events: every attribute set to values of every kind.
  const values: Record<string, unknown[]> = {
    version: [DELETE, null, "0.1.0", "0.3.0-rc.1", "1.0.0", "0.1", 1],
    id: [DELETE, null, validEvent().id, V4_TEAM, NIL_UUID, "abc", 5, validEvent().id.toUpperCase()],
    timestamp: [DELETE, null, "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01T00:00:00+01:00", "2024-01-01 00:00:00Z", "x", 0],
    context: [DELETE, null, "c", [], {}],
    "context.parent_id": [DELETE, null, NIL_UUID, V4_TEAM, "p"],
    "context.root_id": [DELETE, null, V7_PARENT, NIL_UUID, V4_TEAM],
    "context.hook": [DELETE, null, "github", "", 1, 1.5, true],
    "context.scope": [DELETE, null, "s", "", 2],
    "context.action": [DELETE, "a", "", {}],
    "context.source": [DELETE, "https://x", "", []],
    "context.timestamp": [DELETE, null, "2024-05-01T12:00:00.5Z", "2024-05-01T12:00:61Z", 3],
    subject: [DELETE, null, 1, {}],
    "subject.id": [DELETE, null, "42", "", 42],
    "subject.name": [DELETE, "repos", "", 0],
    "subject.team_id": [DELETE, null, V4_TEAM, V7_PARENT, NIL_UUID, "6ba7b810-9dad-11d1-80b4-00c04fd430c8"],
    "subject.user_id": [DELETE, null, NIL_UUID, "u", 1],
    "subject.org_id": [DELETE, null, "acme", "", 1],
    payload: [DELETE, null, {}, [], "p", 0, false],
  };
  const corpus: Array<{ name: string; event: unknown }> = [
    { name: "valid event", event: validEvent() },
    { name: "minimal 0.1 event", event: minimalRawEvent() },
    { name: "normalized minimal event", event: normalizeEvent(minimalRawEvent()) },
    { name: "primer example", event: JSON.parse(PRIMER_EXAMPLE_JSON) },
    { name: "normalized primer example", event: normalizeEvent(JSON.parse(PRIMER_EXAMPLE_JSON)) },
    { name: "primer example with a v7 id", event: normalizeEvent({ ...JSON.parse(PRIMER_EXAMPLE_JSON), id: validEvent().id }) },
    { name: "created event", event: createEvent({ context: { hook: 1, scope: "s", action: "a", source: "x" }, subject: { id: "1", name: "n", team_id: V4_TEAM }, payload: [] }) },
    { name: "0.3 event with unknown attributes", event: { ...validEvent(), version: "0.3.0", x: 1, context: { ...validEvent().context, y: [] } } },
    ...[null, 1, "e", [], [validEvent()], {}].map((event) => ({ name: JSON.stringify(event), event })),
  ];
  for (const [path, list] of Object.entries(values)) {
    for (const value of list) corpus.push({ name: `${path} = ${value === DELETE ? "(absent)" : JSON.stringify(value)}`, event: withAttribute(validEvent(), path, value) });
  }

  it(`agrees with validateEvent(x, { strict: true }) on a shared corpus of ${corpus.length} events`, () => {
    let valid = 0;
    for (const { name, event } of corpus) {
      const ours = validateEvent(event, { strict: true }).valid;
      expect(check(event), `${name}: ajv ${JSON.stringify(check.errors)}`).to.equal(ours);
      if (ours) valid++;
    }
    // The corpus has both kinds in numbers.
    expect(valid).to.be.greaterThan(30);
    expect(corpus.length - valid).to.be.greaterThan(60);
  });

  it("agrees on 3,000 events with a random attribute set to a random JSON value (fast-check)", () => {
    const paths = Object.keys(values).concat(["x", "context.x", "subject.x"]);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.constantFrom<unknown>(DELETE, V4_TEAM, V7_PARENT, NIL_UUID, "0.9.9", "2024-01-01T00:00:00Z")), (path, value) => {
        const event = withAttribute(validEvent(), path, value);
        return check(event) === validateEvent(event, { strict: true }).valid;
      }),
      { numRuns: 3000 },
    );
  });

  it("with ajv useDefaults, fills the same parent_id/user_id defaults as normalizeEvent", () => {
    const fill = new Ajv2020({ strict: true, useDefaults: true }).compile(eventJsonSchema as object);
    const event = { ...minimalRawEvent(), context: { ...(minimalRawEvent().context as object), timestamp: "2024-05-01T12:00:00Z" } };
    expect(fill(event)).to.equal(true);
    expect(event).to.deep.equal(normalizeEvent({ ...minimalRawEvent(), context: { ...(minimalRawEvent().context as object), timestamp: "2024-05-01T12:00:00Z" } }));
  });
});

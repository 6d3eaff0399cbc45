// The export rule: a record a log store would refuse is cut down by a documented rule and says
// how much was cut (quantm.log.truncated); a record within the limits is exported untouched.
import { expect } from "chai";
import { ATTR_LOG_TRUNCATED, boundForExport, DEFAULT_EXPORT_LIMITS } from "../../lib/log/export-bounds.js";
import { LEVEL, OTEL_CONTEXT, SPLAT, type LogInfo } from "../../lib/log/symbols.js";

function info(fields: Record<string, unknown>, message: unknown = "hello"): LogInfo {
  return { level: "info", message, ...fields, [LEVEL]: "info", [SPLAT]: [fields], [OTEL_CONTEXT]: "ctx" };
}

describe("log export bounds", function () {
  it("exports a record within the limits as it is, without a copy", function () {
    const record = info({ pr: 42, ok: true, who: "bot", err: new Error("x") });
    expect(boundForExport(record)).to.equal(record);
  });

  it("cuts a 1 MB message to 128 KiB and counts it", function () {
    const out = boundForExport(info({}, "x".repeat(1024 * 1024)));
    expect((out.message as string).length).to.equal(DEFAULT_EXPORT_LIMITS.maxMessageLength);
    expect(out.message as string).to.match(/…$/);
    expect(out[ATTR_LOG_TRUNCATED]).to.equal(1);
  });

  it("flattens nested fields to dotted keys, stops at the depth limit, counts the cut", function () {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const out = boundForExport(info({ user: { id: 7, roles: ["a", "b"] }, deep }));
    expect(out["user.id"]).to.equal(7);
    expect(out["user.roles"]).to.deep.equal(["a", "b"]);
    const deepKeys = Object.keys(out).filter((k) => k.startsWith("deep."));
    expect(deepKeys).to.have.length(1);
    expect(deepKeys[0]!.split(".")).to.have.length(DEFAULT_EXPORT_LIMITS.maxDepth);
    expect(out[deepKeys[0]!]).to.equal("[Object]");
    expect(out[ATTR_LOG_TRUNCATED]).to.equal(1);
  });

  it("drops keys longer than a store accepts (128 bytes) and counts them", function () {
    const long = "k".repeat(130);
    const out = boundForExport(info({ [long]: 1, nested: { ["é".repeat(70)]: 2 }, fine: 3 }));
    expect(out).to.not.have.property(long);
    expect(Object.keys(out).some((k) => k.startsWith("nested."))).to.equal(false);
    expect(out.fine).to.equal(3);
    expect(out[ATTR_LOG_TRUNCATED]).to.equal(2);
  });

  it("keeps at most 120 fields and long values to 4 KiB, counting what it cut", function () {
    const wide: Record<string, unknown> = { big: "y".repeat(10_000) };
    for (let i = 0; i < 2000; i++) wide[`f${i}`] = i;
    const out = boundForExport(info(wide));
    const fields = Object.keys(out).filter((k) => k !== "level" && k !== "message" && k !== ATTR_LOG_TRUNCATED);
    expect(fields).to.have.length(DEFAULT_EXPORT_LIMITS.maxFields);
    expect((out.big as string).length).to.equal(DEFAULT_EXPORT_LIMITS.maxValueLength);
    expect(out[ATTR_LOG_TRUNCATED]).to.equal(1 + (2001 - DEFAULT_EXPORT_LIMITS.maxFields));
  });

  it("keeps winston's symbols (level, splat, the call's context) and Error fields on the copy", function () {
    const err = new Error("boom");
    const record = info({ err, nested: { a: 1 } });
    const out = boundForExport(record);
    expect(out).to.not.equal(record);
    expect(out[LEVEL]).to.equal("info");
    expect(out[OTEL_CONTEXT]).to.equal("ctx");
    expect(out[SPLAT]).to.equal(record[SPLAT]);
    expect(out.err).to.equal(err);
    expect(out["nested.a"]).to.equal(1);
    expect(out).to.not.have.property(ATTR_LOG_TRUNCATED);
  });

  it("survives circular fields", function () {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    const out = boundForExport(info({ a }));
    expect(out["a.name"]).to.equal("a");
    expect(out["a.self"]).to.equal("[Circular]");
  });
});

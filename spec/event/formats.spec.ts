// The hand-written format checks (the validation hot path) against the regular expressions that the
// JSON Schema carries: they must accept exactly the same strings.
import { expect } from "chai";
import fc from "fast-check";
import { RFC3339, SEMVER, UUID, UUID_V4_OR_V7, UUID_V7, isRfc3339, isSemver, isUuid, isUuidV4OrV7, isUuidV7, describeValue } from "../../lib/event/formats.js";

/** Strings near the format: a sample with characters replaced, inserted or removed. */
function near(samples: string[]): fc.Arbitrary<string> {
  const alphabet = fc.constantFrom(..."0123456789abcdefABCDEFgxzZtT-:.+ \u00e9\u0660".split(""), "\uD800");
  return fc.tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.constantFrom("replace", "insert", "delete"), alphabet), { maxLength: 3 })).map(([s, edits]) => {
    let out = s;
    for (const [at, op, ch] of edits) {
      const i = at % (out.length + 1);
      if (op === "replace") out = out.slice(0, i) + ch + out.slice(i + 1);
      else if (op === "insert") out = out.slice(0, i) + ch + out.slice(i);
      else out = out.slice(0, i) + out.slice(i + 1);
    }
    return out;
  });
}

const uuids = ["0190f3c2-8a4b-7c3d-9e1f-2a3b4c5d6e7f", "0879053d-41a2-4151-a4b3-5e34252eb639", "00000000-0000-0000-0000-000000000000", "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"];
const times = ["2024-02-29T23:59:60Z", "2023-02-28T00:00:00.123+05:30", "1900-02-28t12:00:00z", "2000-02-29T00:00:00-23:59", "2024-12-31T23:59:59.999999Z"];
const versions = ["0.1.0", "0.2.0", "10.20.30", "1.0.0-alpha.1", "0.3.0+build.7", "1.0.0-rc.1+b"];

function agree(name: string, fast: (s: string) => boolean, re: RegExp, samples: string[]): void {
  it(`${name} accepts exactly what ${re.source.slice(0, 24)}... accepts`, () => {
    for (const s of samples) expect(fast(s), s).to.equal(true);
    fc.assert(fc.property(fc.oneof(near(samples), fc.string(), fc.string({ unit: "binary" })), (s) => fast(s) === re.test(s)), { numRuns: 20_000 });
  });
}

describe("format checks", () => {
  agree("isUuid", isUuid, UUID, uuids);
  agree("isUuidV7", isUuidV7, UUID_V7, [uuids[0]!]);
  agree("isUuidV4OrV7", isUuidV4OrV7, UUID_V4_OR_V7, [uuids[0]!, uuids[1]!]);
  agree("isRfc3339", isRfc3339, RFC3339, times);
  agree("isSemver", isSemver, SEMVER, versions);

  it("RFC 3339: every day of 400 years of calendar, Feb 29 only in leap years", () => {
    for (let year = 1800; year < 2200; year++) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 28; day <= 32; day++) {
          const text = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T00:00:00Z`;
          const real = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
          expect(isRfc3339(text), text).to.equal(real);
          expect(RFC3339.test(text), text).to.equal(real);
        }
      }
    }
  });

  it("describeValue names kinds and UUID versions briefly", () => {
    expect(describeValue(undefined)).to.equal("nothing");
    expect(describeValue("0879053d-41a2-4151-a4b3-5e34252eb639")).to.equal('a UUID v4 ("0879053d-41a2-4151-a4b3-5e34252eb639")');
    expect(describeValue("00000000-0000-0000-0000-000000000000")).to.match(/^the nil UUID/);
    expect(describeValue("")).to.equal("an empty string");
    expect(describeValue({})).to.equal("an object");
    expect(describeValue([])).to.equal("an array");
    expect(describeValue(false)).to.equal("false");
    expect(describeValue("y".repeat(1000)).length).to.be.lessThan(80);
  });
});

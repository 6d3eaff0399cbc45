// createEvent's ids: UUID v7 (RFC 9562), time-ordered even within one millisecond, unique.
import { expect } from "chai";
import { validate, version } from "uuid";
import { newEventId } from "../../lib/event/ids.js";

describe("event ids (UUID v7 from a pooled random buffer)", function () {
  it("are valid v7 UUIDs carrying the current millisecond", function () {
    const before = Date.now();
    const id = newEventId();
    const after = Date.now();
    expect(validate(id)).to.equal(true);
    expect(version(id)).to.equal(7);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).to.be.within(before, after + 1);
  });

  it("sort in the order they were made, across pool refills, and never repeat", function () {
    const ids = Array.from({ length: 20_000 }, () => newEventId());
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} < ${ids[i]}`).to.equal(true);
    expect(new Set(ids).size).to.equal(ids.length);
    // the random tail differs from id to id (the pool is not reused)
    expect(new Set(ids.map((id) => id.slice(24))).size).to.equal(ids.length);
  });
});

// Events made by createEvent and parseEvent are valid and stay so: frozen and remembered, so the
// bridge need not validate them again. Anything else is not trusted.
import { expect } from "chai";
import { createEvent, isValidatedEvent, parseEvent, type QuantmEvent } from "../../lib/event/index.js";

const input = {
  context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" },
  subject: { id: "1296269", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" },
  payload: { number: 1 },
};

describe("validated events", function () {
  it("createEvent and parseEvent return frozen events the library remembers", function () {
    for (const e of [createEvent(input), parseEvent(JSON.stringify(createEvent(input)))]) {
      expect(isValidatedEvent(e)).to.equal(true);
      expect(Object.isFrozen(e) && Object.isFrozen(e.context) && Object.isFrozen(e.subject)).to.equal(true);
      expect(() => {
        (e.context as { scope: string }).scope = "";
      }).to.throw(TypeError);
      expect(e.context.scope).to.equal("pull_request");
    }
  });

  it("does not trust copies, literals, or lookalikes", function () {
    const made = createEvent(input);
    const copy: QuantmEvent = { ...made, context: { ...made.context, scope: "" } };
    expect(isValidatedEvent(copy)).to.equal(false);
    expect(isValidatedEvent(JSON.parse(JSON.stringify(made)))).to.equal(false);
    expect(isValidatedEvent(null)).to.equal(false);
    expect(isValidatedEvent("event")).to.equal(false);
  });

  it("leaves the payload as given (it plays no part in validity)", function () {
    const e = createEvent({ ...input, payload: { list: [1] } });
    (e.payload as { list: number[] }).list.push(2);
    expect(e.payload).to.deep.equal({ list: [1, 2] });
  });
});

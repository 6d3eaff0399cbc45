import { isRfc3339, isUuidV7, isUuid, isSemver, RFC3339, UUID_V7 } from "../../lib/event/formats.js";
import { validateEvent } from "../../lib/event/validate.js";
import { createEvent } from "../../lib/event/create.js";
function bench(name: string, fn: (i: number) => boolean) {
  const N = 3_000_000; let k = 0; for (let i = 0; i < 100000; i++) if (fn(i)) k++;
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) if (fn(i)) k++;
  const ns = Number(process.hrtime.bigint() - t) / N; console.log(name, ns.toFixed(1), "ns", k);
}
const ts = ["2026-12-04T20:06:38.367Z", "2026-12-04T20:06:38.368Z"];
const id = ["01a242aa-7a1f-7655-834f-dae7a336cbf9", "01a242aa-7a1f-7655-834f-dae7a336cbfa"];
const ev = createEvent({ context: { hook: "github", scope: "pull_request", action: "opened", source: "s" }, subject: { id: "1", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" }, payload: { n: 1 } });
const evs = Array.from({length: 16}, () => JSON.parse(JSON.stringify(createEvent({ parent: ev, context: { ...ev.context, action: "x" }, subject: ev.subject, payload: { n: 1 } }))));
for (let r = 0; r < 2; r++) {
bench("rfc3339 re", (i) => RFC3339.test(ts[i & 1]!));
bench("rfc3339", (i) => isRfc3339(ts[i & 1]!));
bench("uuidv7 re", (i) => UUID_V7.test(id[i & 1]!));
bench("uuidv7", (i) => isUuidV7(id[i & 1]!));
bench("uuid", (i) => isUuid(id[i & 1]!));
bench("semver", (i) => isSemver(i & 1 ? "0.2.0" : "0.1.0"));
bench("validate", (i) => validateEvent(evs[i & 15]).valid);
bench("validate strict", (i) => validateEvent(evs[i & 15], { strict: true }).valid);
}

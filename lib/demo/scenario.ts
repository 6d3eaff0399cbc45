// A realistic GitHub pull-request chain, split into steps that run in separate processes and pass
// each other nothing but event JSON (DESIGN §4: lineage computable from the event alone).
//
//   webhook  : pull_request.opened                         (root, withEvent + logs)
//   checker  : handle(opened) → pull_request.checked, ci.triggered       (fan-out)
//   merger   : handle(checked) → branch.rebased → pull_request.merged
import winston from "winston";
import { createEvent, type QuantmEvent } from "../event/index.js";
import type { Instrumentation } from "../instrument/index.js";

export const DEMO_STEPS = {
  webhook: { service: "github-webhook", input: undefined },
  checker: { service: "pr-checker", input: "webhook" },
  merger: { service: "merge-bot", input: "checker" },
} as const;

export type DemoStep = keyof typeof DEMO_STEPS;

const SOURCE = "https://github.com/acme/payments-api";
const REPO = { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" };

/** Console logs go to stderr so that stdout carries only event JSON between the steps. */
export const demoLoggerTransports = (): winston.transport[] => [
  new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) }),
];

function next(parent: QuantmEvent, scope: string, action: string, payload: Record<string, string | number | boolean>): QuantmEvent {
  return createEvent({ parent, context: { ...parent.context, scope, action }, subject: parent.subject, payload });
}

/** Runs one step with an instrumented process; returns the events it recorded, in order. */
export async function runDemoStep(step: DemoStep, q: Instrumentation, input: QuantmEvent[]): Promise<QuantmEvent[]> {
  const out: QuantmEvent[] = [];
  const log = q.logger;
  switch (step) {
    case "webhook": {
      const opened = createEvent({
        context: { hook: "github", scope: "pull_request", action: "opened", source: SOURCE },
        subject: REPO,
        payload: { number: 42, title: "Retry failed webhooks", branch: "feat/retry", base: "main" },
      });
      await q.withEvent(opened, async () => {
        log.info("webhook received", { delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958", pr: 42 });
        log.debug("signature verified");
      });
      out.push(opened);
      break;
    }
    case "checker": {
      for (const opened of input) {
        await q.handle(opened, async () => {
          log.info("checking mergeability", { pr: (opened.payload as { number?: number }).number ?? null });
          const checked = next(opened, "pull_request", "checked", { mergeable: true, conflicts: 0 });
          await q.withEvent(checked, () => log.info("pull request is mergeable", { conflicts: 0 }));
          const ci = next(opened, "ci", "triggered", { workflow: "test.yml", run: 9001 });
          await q.withEvent(ci, () => log.warn("CI queue is long", { queued: 17 }));
          out.push(checked, ci);
        });
      }
      break;
    }
    case "merger": {
      const checked = input.filter((e) => e.context.action === "checked");
      for (const event of checked) {
        await q.handle(event, async () => {
          log.info("rebasing onto main");
          const rebased = next(event, "branch", "rebased", { head: "3f2c1ab", onto: "main" });
          await q.withEvent(rebased, () => log.info("branch rebased", { commits: 3 }));
          const merged = next(rebased, "pull_request", "merged", { method: "squash" });
          await q.withEvent(merged, () => log.info("pull request merged", { method: "squash" }));
          out.push(rebased, merged);
        });
      }
      break;
    }
  }
  return out;
}

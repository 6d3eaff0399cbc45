// Mocha global fixtures. The end-to-end stack is started lazily by the specs that need it
// (spec/support/stack.ts) and stopped here, once, after the whole run.
import { stopStackIfStarted } from "./stack.js";

export async function mochaGlobalTeardown(): Promise<void> {
  await stopStackIfStarted();
}

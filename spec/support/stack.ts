// Placeholder until the stack issue lands: replaced by the real harness.
export async function stopStackIfStarted(): Promise<void> {}

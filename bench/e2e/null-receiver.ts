// The null OTLP receiver of common.ts in a process of its own, for benchmarks whose measured
// loop runs in the bench process itself (bench/log.ts): a receiver there would get no CPU while
// the loop runs. Prints `{"url": …}` once listening.
import { startNullReceiver } from "./common.js";

const receiver = await startNullReceiver();
process.stdout.write(JSON.stringify({ url: receiver.url }) + "\n");
process.on("SIGTERM", () => void receiver.close().then(() => process.exit(0)));

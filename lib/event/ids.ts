// UUID v7 ids for createEvent: uuid's v7 byte layout and string form, fed from a pooled random
// buffer. One crypto.getRandomValues call per id was 16% of a busy producer's time (bench/README.md,
// pipeline profile); one call per 256 ids amortizes it. Given its random bytes, uuid skips its own
// monotonic counter, so the counter is kept here exactly as uuid keeps it: ids made in the same
// millisecond still sort in the order they were made.
import { v7 as uuidv7 } from "uuid";

const IDS_PER_FILL = 256;
const pool = new Uint8Array(16 * IDS_PER_FILL);
let offset = pool.length;
let lastMsecs = -Infinity;
let seq = 0;

export function newEventId(): string {
  if (offset === pool.length) {
    crypto.getRandomValues(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, (offset += 16));
  const now = Date.now();
  if (now > lastMsecs) {
    // A new millisecond: the counter starts from random bits, as uuid's does.
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    lastMsecs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMsecs++;
  }
  return uuidv7({ random, msecs: lastMsecs, seq });
}

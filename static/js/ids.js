// Record ids made on the phone: UUID version 7 (RFC 9562), time-ordered.
// The first 48 bits are the creation time in milliseconds, so a day's records sort together
// and the server adds their keys at the end of its indexes instead of on a random page each
// (docs/benchmarks.md, issue #16). Ids made earlier (version 4, crypto.randomUUID) stay valid:
// the protocol takes any UUID and nothing reads the time back out of an id.

let lastMs = 0;
let counter = 0;

/** A new record id: 36 characters, lower case. `now` and `random` are for tests. */
export function newId(now = Date.now(), random = crypto.getRandomValues(new Uint8Array(10))) {
  let ms = now;
  if (ms > lastMs) {
    counter = ((random[0] << 8) | random[1]) & 0x7ff; // room to count up within this ms
  } else if (counter < 0xfff) { // same millisecond (or the clock stepped back): count up
    ms = lastMs;
    counter += 1;
  } else { // 4,096 ids in one millisecond: borrow the next one
    ms = lastMs + 1;
    counter = 0;
  }
  lastMs = ms;
  const hex = (n, width) => n.toString(16).padStart(width, '0');
  const tail = Array.from(random.slice(2), (b) => hex(b, 2)).join('');
  const variant = hex(0x8 | (random[2] >> 6), 1); // the variant bits 10, then 2 random bits
  const time = hex(ms, 12);
  const clock = `${variant}${tail.slice(1, 4)}`;
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${clock}-${tail.slice(4, 16)}`;
}

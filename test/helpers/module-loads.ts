/**
 * The start of an ES module program (for `node --input-type=module -e`) that records the URL of
 * every module loaded after it in `loaded`, through a load hook. `await settled()` returns once
 * every load so far has been reported: it loads a marker module and waits for its URL, which
 * arrives after all earlier ones (the hook's messages keep their order) — a condition, not a sleep.
 * `settled(until)` polls, bounded, until `until(loaded)` holds, for modules loaded asynchronously.
 * Modules loaded with `require` do not pass the ES module hooks and are not recorded.
 */
export const RECORD_MODULE_LOADS = `
import { register } from 'node:module';
const { port1, port2 } = new MessageChannel();
const loaded = [];
const MARKER = 'data:text/javascript,/*settled*/';
let markerSeen = () => {};
port1.on('message', (url) => (url.startsWith(MARKER) ? markerSeen() : loaded.push(url)));
port1.unref();
register('data:text/javascript,' + encodeURIComponent('let p; export function initialize(d) { p = d.port; } export async function load(u, c, n) { p.postMessage(u); return n(u, c); }'), { data: { port: port2 }, transferList: [port2] });
let markers = 0;
async function roundTrip() {
  const seen = new Promise((resolve) => (markerSeen = resolve));
  port1.ref();
  await import(MARKER + ++markers);
  await seen;
  port1.unref();
}
async function settled(until = () => true, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (await roundTrip(); !until(loaded); await roundTrip()) {
    if (Date.now() > deadline) throw new Error('the modules awaited did not load: ' + loaded.join(' '));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
`;

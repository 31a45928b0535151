// A node:test reporter that writes one JSON line per top-level test: its file, duration and outcome.
// scripts/run-tests.mjs sums them per file (Node 20's own reporters do not group by file).
export default async function* fileDurations(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { file, nesting, details } = event.data;
    if (nesting !== 0 || !file) continue;
    yield `${JSON.stringify({ file, ms: details?.duration_ms ?? 0, ok: event.type === 'test:pass' })}\n`;
  }
}

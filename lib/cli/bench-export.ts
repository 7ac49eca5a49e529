/**
 * Benchmarks of the streamed exports (O1, O2): reads an export to its end and measures its
 * rows, bytes, time and the process's peak RSS above where it started — the figure that
 * shows 1,000,000 rows are never held in memory.
 */
export async function measureExport(open: () => Promise<ReadableStream<Uint8Array>>) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  let bytes = 0;
  let lines = 0;
  try {
    for await (const chunk of (await open()) as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines += 1;
    }
  } finally {
    clearInterval(sampler);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = (n: number) => (n / 1048576).toFixed(0);
  // Two lines are not rows: the header saying what filter produced it, and the column names.
  return `Export (CSV, every row): ${(lines - 2).toLocaleString("en-GB")} rows, ${mb(bytes)} MB in ${(ms / 1000).toFixed(1)} s; RSS ${mb(before)} MB before, peak ${mb(peak)} MB (+${mb(peak - before)} MB).`;
}

/** Samples of one metric in a Prometheus text scrape: labels as written, and the value. */
function samples(text: string, name: string): { labels: string; value: number }[] {
  const found: { labels: string; value: number }[] = [];
  const pattern = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)`, "gm");
  for (const m of text.matchAll(pattern)) found.push({ labels: m[1] ?? "", value: Number(m[2]) });
  return found;
}

/** The sum of a counter or gauge over all its label sets; null when the scrape does not have it. */
export function metricSum(text: string, name: string): number | null {
  const found = samples(text, name);
  return found.length === 0 ? null : found.reduce((sum, s) => sum + s.value, 0);
}

/** A histogram summed over its label sets: cumulative counts by upper bound, with count and sum. */
export interface HistogramSnapshot {
  buckets: { le: number; count: number }[];
  count: number;
  sum: number;
}

/** A histogram of a scrape, or null when the scrape does not have it. */
export function histogram(text: string, name: string): HistogramSnapshot | null {
  const buckets = new Map<number, number>();
  for (const s of samples(text, `${name}_bucket`)) {
    const le = /le="([^"]+)"/.exec(s.labels)?.[1];
    if (le === undefined) continue;
    const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + s.value);
  }
  if (buckets.size === 0) return null;
  return {
    buckets: [...buckets].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le),
    count: metricSum(text, `${name}_count`) ?? 0,
    sum: metricSum(text, `${name}_sum`) ?? 0,
  };
}

/** What a histogram gained between two scrapes. */
export function histogramDelta(before: HistogramSnapshot | null, after: HistogramSnapshot): HistogramSnapshot {
  const earlier = new Map(before?.buckets.map((b) => [b.le, b.count]));
  return {
    buckets: after.buckets.map((b) => ({ le: b.le, count: b.count - (earlier.get(b.le) ?? 0) })),
    count: after.count - (before?.count ?? 0),
    sum: after.sum - (before?.sum ?? 0),
  };
}

/** The smallest bucket bound that holds at least q % of the observations (an upper bound on the percentile). */
export function bucketPercentile(h: HistogramSnapshot, q: number): number | null {
  if (h.count <= 0) return null;
  return h.buckets.find((b) => b.count >= (q / 100) * h.count)?.le ?? null;
}

/** One sample of a metric with the given label (`space="old"`), or null. */
export function metricWith(text: string, name: string, label: string): number | null {
  return samples(text, name).find((s) => s.labels.includes(label))?.value ?? null;
}

export interface LatencyStats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentiles of latencies in milliseconds. */
export function latencyStats(samples: number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: s.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    max: round(s[s.length - 1] ?? NaN),
  };
}

/** A plain-text table with right-aligned numbers. */
export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const width = head.map((_, i) => Math.max(...cells.map((r) => strWidth(String(r[i] ?? '')))));
  const line = (r: (string | number)[]) =>
    r
      .map((c, i) => {
        const s = String(c ?? '');
        const pad = ' '.repeat(Math.max(0, width[i] - strWidth(s)));
        return i === 0 || isNaN(Number(s.replace(/[,x%]/g, ''))) ? s + pad : pad + s;
      })
      .join('  ')
      .trimEnd();
  return [line(cells[0]), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Display width: CJK characters take two columns. */
function strWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  if (Number.isInteger(x)) return x.toLocaleString('en');
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en');
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

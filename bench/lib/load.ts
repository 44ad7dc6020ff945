/**
 * Concurrent keep-alive HTTP load with autocannon: `connections` connections
 * each sending the next request as soon as the previous answer arrived, for
 * `durationS` seconds; every response time is kept for exact percentiles.
 */
import autocannon from 'autocannon';
import { type LatencyStats, latencyStats } from './stats.js';

export interface LoadOptions {
  url: string;
  /** Called for every request: the path (with query) to send. */
  path: () => string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
}

export interface LoadResult extends LatencyStats {
  requests: number;
  rps: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}

/** One measurement's raw figures; several (rounds) merge into one LoadResult. */
export interface LoadSample {
  times: number[];
  seconds: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}

export function mergeSamples(samples: LoadSample[]): LoadResult {
  const times = samples.flatMap((s) => s.times);
  const seconds = samples.reduce((a, s) => a + s.seconds, 0);
  return {
    ...latencyStats(times),
    requests: times.length,
    rps: Math.round((times.length / (seconds || 1)) * 10) / 10,
    errors: samples.reduce((a, s) => a + s.errors, 0),
    non2xx: samples.reduce((a, s) => a + s.non2xx, 0),
    timeouts: samples.reduce((a, s) => a + s.timeouts, 0),
  };
}

export function load(o: LoadOptions): Promise<LoadSample> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    let non2xx = 0;
    const instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        duration: o.durationS,
        headers: o.headers,
        timeout: 60,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: o.path() }) }],
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({ times, seconds: result.duration || o.durationS, errors: result.errors, non2xx, timeouts: result.timeouts });
      },
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      times.push(responseTime);
      if (status < 200 || status >= 300) non2xx++;
    });
  });
}

/**
 * CPU accounting from /proc (Linux): how much the server process, PostgreSQL's
 * processes and this load-generating process used during a measurement, and
 * how busy the machine was with anything else (other users of a shared box).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const HZ = 100; // USER_HZ: /proc reports clock ticks of 1/100 s on Linux

export interface CpuSnapshot {
  at: number;
  busy: number;
  server: number;
  postgres: number;
  self: number;
}

export interface CpuUse {
  seconds: number;
  /** CPU seconds used. */
  server: number;
  postgres: number;
  client: number;
  /** Share of the machine's capacity (all cores) used by everything else, 0..1. */
  other: number;
}

function ticksOf(stat: string): { comm: string; ticks: number } {
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const f = stat.slice(close + 2).split(' ');
  // after the command: state(0) ppid(1) ... utime(11) stime(12)
  return { comm, ticks: Number(f[11]) + Number(f[12]) };
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function cpuSnapshot(serverPid: number | null): CpuSnapshot {
  const stat = read('/proc/stat') ?? '';
  const f = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  let server = 0;
  let postgres = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const s = read(`/proc/${pid}/stat`);
    if (!s) continue;
    const { comm, ticks } = ticksOf(s);
    if (Number(pid) === serverPid) server = ticks;
    else if (comm === 'postgres') postgres += ticks;
  }
  const u = process.cpuUsage();
  return { at: performance.now(), busy, server, postgres, self: (u.user + u.system) / 1e6 };
}

/** `postgres`: whether PostgreSQL's processes serve this run (false for PGlite: then they are someone else's). */
export function cpuUse(a: CpuSnapshot, b: CpuSnapshot, postgresIsOurs: boolean): CpuUse {
  const seconds = (b.at - a.at) / 1000;
  const server = (b.server - a.server) / HZ;
  const postgres = postgresIsOurs ? (b.postgres - a.postgres) / HZ : 0;
  const client = b.self - a.self;
  const busy = (b.busy - a.busy) / HZ;
  const other = Math.max(0, busy - server - postgres - client) / (seconds * cpus().length || 1);
  return { seconds, server, postgres, client, other };
}

export function addCpu(x: CpuUse, y: CpuUse): CpuUse {
  const seconds = x.seconds + y.seconds;
  return {
    seconds,
    server: x.server + y.server,
    postgres: x.postgres + y.postgres,
    client: x.client + y.client,
    other: seconds ? (x.other * x.seconds + y.other * y.seconds) / seconds : 0,
  };
}

export const NO_CPU: CpuUse = { seconds: 0, server: 0, postgres: 0, client: 0, other: 0 };

/** CPU seconds used so far by one process. */
export function processCpu(pid: number): number {
  const s = read(`/proc/${pid}/stat`);
  return s ? ticksOf(s).ticks / HZ : 0;
}

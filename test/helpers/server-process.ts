/**
 * Real server processes (src/server/main.ts, as `npm start` runs it) on
 * loopback ports over one PostgreSQL database, for the tests of several
 * servers and of a server killed mid-work.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  url: string;
  output: string[];
}

/** Starts a server on a free port; resolves once it prints its address. */
export function startServerProcess(name: string, env: Record<string, string | undefined>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CRM_DEMO: '0', DB_POOL_MAX: '4', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server: ServerProcess = { name, child, url: '', output: [] };
  // should the test process end without its clean-up, the server goes with it
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server ${name} did not start:\n${server.output.join('')}`)), 45_000);
    const onData = (chunk: Buffer) => {
      server.output.push(chunk.toString());
      const m = /CRM is running: http:\/\/localhost:(\d+)/.exec(server.output.join(''));
      if (m && !server.url) {
        server.url = `http://127.0.0.1:${m[1]}`;
        clearTimeout(timer);
        resolve(server);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!server.url) reject(new Error(`server ${name} exited (${code ?? signal}):\n${server.output.join('')}`));
    });
  });
}

/** Stops a server as a deployment would (SIGTERM), killing it after 10 s. */
export async function stopServerProcess(s: ServerProcess): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

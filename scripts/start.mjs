// `npm start`: prepare a fresh clone (dependencies, web build), then run the server.
import { spawn } from 'node:child_process';
import { ensureDependencies, ensureWebBuild } from './ensure.mjs';

ensureDependencies();
ensureWebBuild();
// V8's young generation at 4 MB semi-spaces instead of 16: a million-row import peaks ~60 MiB
// lower (406 → 346 MiB) at the same speed (bench/README.md, "Server memory"); bench/lib/server.ts
// starts the benchmarked server the same way
const SERVER_NODE_ARGS = ['--max-semi-space-size=4'];
const server = spawn(process.execPath, [...SERVER_NODE_ARGS, '--import', 'tsx', 'src/server/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

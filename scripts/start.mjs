// `npm start`: prepare a fresh clone (dependencies, web build), then run the server.
import { spawn } from 'node:child_process';
import { ensureDependencies, ensureWebBuild } from './ensure.mjs';

ensureDependencies();
ensureWebBuild();
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

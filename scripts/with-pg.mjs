// Runs a command with CRM_TEST_DATABASE_URL pointing at the local PostgreSQL
// server, starting that server first when it is down. Integration tests then
// create a fresh database per test file there.
import { execSync, spawnSync } from 'node:child_process';

const url = process.env.CRM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ready = () => spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'ignore' }).status === 0;
if (!ready()) {
  console.log('PostgreSQL is down; starting it...');
  execSync('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start', { stdio: 'inherit', shell: '/bin/bash' });
  for (let i = 0; i < 30 && !ready(); i++) execSync('sleep 1');
}
const [cmd, ...args] = process.argv.slice(2);
const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, CRM_TEST_DATABASE_URL: url }, shell: false });
process.exit(r.status ?? 1);

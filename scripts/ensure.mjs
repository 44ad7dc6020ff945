// Makes a fresh clone runnable before a command runs: installs the locked
// dependencies when they are missing or older than package-lock.json and, with
// --web, builds the web app when the build is missing or older than its sources;
// with --font, makes sure a Chinese font is there (quote PDFs need one).
// Only Node built-ins here: this runs before node_modules exists.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(join(fileURLToPath(import.meta.url), '..', '..'));

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

export function ensureDependencies() {
  if (mtime('node_modules/.package-lock.json') < mtime('package-lock.json')) {
    // Not `npm ci`: it insists on every platform's optional packages (rollup's
    // android/darwin/win32 binaries) being in the lock, and the registry this
    // project is built against serves only the linux-x64 ones. `npm install
    // --no-save` installs exactly the locked versions and leaves the lock alone.
    console.log('Installing dependencies (npm install)...');
    execSync('npm install --no-save --no-audit --no-fund', { stdio: 'inherit' });
  }
}

export function ensureWebBuild() {
  const sources = Math.max(newest('src/web'), newest('src/common'), mtime('vite.config.ts'), mtime('package-lock.json'));
  if (mtime('dist/web/index.html') < sources) {
    console.log('Building the web app (vite build)...');
    execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
  }
}

/**
 * Quote PDFs are drawn in a CJK font of the machine (src/server/modules/quotes/quotes.pdf.ts);
 * the tests draw one. Without such a font, root on Debian/Ubuntu installs fonts-wqy-microhei;
 * anyone else is told what to install (or to set CRM_PDF_FONT).
 */
export function ensureCjkFont() {
  if (process.env.CRM_PDF_FONT || existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc')) return;
  let families = '';
  try {
    families = execSync('fc-list :lang=zh family', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // no fontconfig: look no further
  }
  if (families.trim()) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Installing a Chinese font for quote PDFs (apt-get install fonts-wqy-microhei)...');
    const install = 'apt-get install -y -q fonts-wqy-microhei';
    execSync(`${install} || (apt-get update -q && ${install})`, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    console.warn('No Chinese font found: quote PDFs (and their test) need one. Install fonts-wqy-microhei or Noto Sans CJK, or set CRM_PDF_FONT.');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureDependencies();
  if (process.argv.includes('--web')) ensureWebBuild();
  if (process.argv.includes('--font')) ensureCjkFont();
}

// Preflight (Debian packages the host stage needs) and the cached code-server install.
//
// code-server is installed into its own npm prefix under <repo>/.cache/host/code-server-<version>/, never into
// the extension's node_modules, so neither the .vsix nor a user's `npm ci` carries it. The install is
// done into a ".partial" folder and renamed when it succeeded, so a broken install is never reused.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { log } from './log.mjs';

// Newest code-server whose engines.node accepts Node 20 (4.103+ need Node 22, 4.133+ Node 24).
export const CODE_SERVER_VERSION = process.env.VSUM_CODE_SERVER_VERSION || '4.100.3';
// code-server 4.100.3 depends on @vscode/ripgrep 1.15.11, whose postinstall downloads ripgrep v13.0.0-10 from
// GitHub. It first looks in <tmpdir>/vscode-ripgrep-cache-<pkg version>/<asset>, which we seed with Debian's rg.
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

export const CHROMIUM = process.env.VSUM_CHROMIUM || '/usr/bin/chromium';

/** Debian packages needed: chromium always; the build tools only to install code-server the first time. */
const requirements = [
  { pkg: 'chromium', ok: () => fs.existsSync(CHROMIUM), always: true },
  { pkg: 'ripgrep', ok: () => fs.existsSync('/usr/bin/rg') },
  {
    pkg: 'build-essential',
    ok: () => ['/usr/bin/make', '/usr/bin/g++', '/usr/bin/gcc'].every((f) => fs.existsSync(f)),
  },
  { pkg: 'python3', ok: () => fs.existsSync('/usr/bin/python3') },
  { pkg: 'pkg-config', ok: () => fs.existsSync('/usr/bin/pkg-config') },
  { pkg: 'libkrb5-dev', ok: () => fs.existsSync('/usr/bin/krb5-config') || fs.existsSync('/usr/include/krb5.h') },
];
export const APT_PACKAGES = requirements.map((r) => r.pkg);

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Checks (and, as root, apt-installs) the Debian packages; throws a message naming what to install. */
export function preflight({ needBuildTools }) {
  const missing = requirements.filter((r) => (r.always || needBuildTools) && !r.ok()).map((r) => r.pkg);
  if (missing.length === 0) return;
  const cmd = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot()) {
    throw new Error(
      `the host stage needs Debian packages that are missing: ${missing.join(', ')}.\n` +
        `  Install them with:  sudo ${cmd}\n  (or skip this stage with VSUM_SKIP_HOST=1)`,
    );
  }
  log(`installing missing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env });
  }
  const still = requirements.filter((x) => missing.includes(x.pkg) && !x.ok()).map((x) => x.pkg);
  if (r.status !== 0 || still.length)
    throw new Error(`could not install ${still.join(', ') || missing.join(', ')} with "${cmd}"`);
}

function ripgrepAsset() {
  const arch = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!arch) throw new Error(`no ripgrep asset name known for arch ${process.arch}`);
  return `ripgrep-${RIPGREP_RELEASE}-${arch}.tar.gz`;
}

/** Returns the code-server executable, installing code-server once into the cache (idempotent). */
export function ensureCodeServer(cacheRoot) {
  const prefix = path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
  const bin = path.join(prefix, 'node_modules', '.bin', 'code-server');
  const marker = path.join(prefix, '.installed');
  preflight({ needBuildTools: !fs.existsSync(marker) });
  if (fs.existsSync(marker) && fs.existsSync(bin)) return bin;

  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20)
    log(`warning: code-server ${CODE_SERVER_VERSION} is built for Node 20; this is Node ${process.versions.node}`);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${prefix} (first run only; a few minutes)`);
  const partial = prefix + '.partial';
  fs.rmSync(partial, { recursive: true, force: true });
  fs.rmSync(prefix, { recursive: true, force: true });
  const tmp = path.join(cacheRoot, 'tmp');
  fs.mkdirSync(partial, { recursive: true });
  fs.writeFileSync(
    path.join(partial, 'package.json'),
    JSON.stringify({ name: 'vsum-host-code-server', private: true }) + '\n',
  );

  // Seed @vscode/ripgrep's download cache (inside our own TMPDIR) with Debian's rg, so its postinstall is offline.
  const rgCache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const rgStage = path.join(tmp, 'rg-stage');
  fs.mkdirSync(rgCache, { recursive: true });
  fs.mkdirSync(rgStage, { recursive: true });
  fs.copyFileSync('/usr/bin/rg', path.join(rgStage, 'rg'));
  const tar = spawnSync('tar', ['czf', path.join(rgCache, ripgrepAsset()), '-C', rgStage, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('could not build the ripgrep tarball for the @vscode/ripgrep cache');

  const logFile = path.join(cacheRoot, `install-code-server-${CODE_SERVER_VERSION}.log`);
  const out = fs.openSync(logFile, 'w');
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: partial,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        TMPDIR: tmp,
        npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root without it
        npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
        npm_config_update_notifier: 'false',
      },
    },
  );
  fs.closeSync(out);
  if (r.status !== 0 || !fs.existsSync(path.join(partial, 'node_modules', '.bin', 'code-server'))) {
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(
      `npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}); full log: ${logFile}\n${tail}`,
    );
  }
  fs.renameSync(partial, prefix);
  fs.writeFileSync(marker, new Date().toISOString() + '\n');
  log(`code-server ${CODE_SERVER_VERSION} installed`);
  return bin;
}

// Packs the extension the way `npm run package` does (same vsce flags), into the host cache.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { log } from './log.mjs';

// Paths that must never be inside the .vsix (the code-server install and our own test output live here).
const FORBIDDEN = [/^\.cache\//, /^test-results\//, /^node_modules\/code-server\//];

/** The flags of `vsce package` in the package script, without its -o/--out. */
function packageFlags(pkg) {
  const m = /vsce\s+package([^&|;]*)/.exec(pkg.scripts?.package ?? '');
  const words = (m?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const flags = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '-o' || words[i] === '--out') i++;
    else if (!words[i].startsWith('--out=')) flags.push(words[i]);
  }
  return flags;
}

/** Returns the .vsix path, or null (with the reason logged) when the repo cannot be packed yet. */
export function packVsix(repo, cacheRoot, profile) {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const main = path.join(repo, pkg.main ?? 'dist/extension.js');
  const ignore = path.join(repo, '.vscodeignore');
  const notReady = !fs.existsSync(main)
    ? `${path.relative(repo, main)} is not built`
    : !Array.isArray(pkg.files) && !(fs.existsSync(ignore) && /^\s*\.cache\b/m.test(fs.readFileSync(ignore, 'utf8')))
      ? '.vscodeignore does not exclude .cache/ (it would pack the code-server install)'
      : null;
  if (notReady) {
    log(`NOT PACKING a .vsix: ${notReady}; testing the repository as a development extension instead`);
    return null;
  }
  const vsce = path.join(repo, 'node_modules', '.bin', 'vsce');
  const flags = [...packageFlags(pkg), '--allow-missing-repository', '--skip-license'];
  const env = { ...process.env, HOME: profile.home };
  const ls = spawnSync(vsce, ['ls', ...flags.filter((f) => f.startsWith('--no-dependencies') || f === '--dependencies')], { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (ls.status !== 0) throw new Error(`vsce ls failed:\n${ls.stdout}\n${ls.stderr}`);
  const bad = ls.stdout.split('\n').filter((f) => FORBIDDEN.some((re) => re.test(f)));
  if (bad.length) throw new Error(`the .vsix would contain test-only files (fix .vscodeignore): ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}`);
  const out = path.join(cacheRoot, `${pkg.name}-${pkg.version}.vsix`);
  fs.rmSync(out, { force: true });
  const r = spawnSync(vsce, ['package', ...flags, '-o', out], { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  log(`packed ${path.relative(repo, out)} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB, vsce package ${flags.join(' ')})`);
  return out;
}

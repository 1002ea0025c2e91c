// Packs the extension the way `npm run package` does (same vsce flags), into the run's temp profile.
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

/**
 * Returns the .vsix path, or null (with the reason logged) when the extension is not built. Before packing,
 * `vsce ls` must not list the code-server install or test output (.vscodeignore must keep them out).
 */
export function packVsix(repo, profile) {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const main = path.join(repo, pkg.main ?? 'dist/extension.js');
  if (!fs.existsSync(main)) {
    log(`NOT PACKING a .vsix: ${path.relative(repo, main)} is not built; testing the repository as a development extension instead`);
    return null;
  }
  const vsce = path.join(repo, 'node_modules', '.bin', 'vsce');
  // The package script's flags, plus the two that keep vsce from prompting (it would wait on stdin).
  const flags = [...new Set([...packageFlags(pkg), '--allow-missing-repository', '--skip-license'])];
  const env = { ...process.env, HOME: profile.home };
  const ls = spawnSync(vsce, ['ls', ...flags.filter((f) => f.startsWith('--no-dependencies') || f === '--dependencies')], { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (ls.status !== 0) throw new Error(`vsce ls failed:\n${ls.stdout}\n${ls.stderr}`);
  const bad = ls.stdout.split('\n').filter((f) => FORBIDDEN.some((re) => re.test(f)));
  if (bad.length) throw new Error(`the .vsix would contain test-only files (fix .vscodeignore): ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}`);
  const out = path.join(profile.root, `${pkg.name}-${pkg.version}.vsix`); // per run: parallel runs do not collide
  const r = spawnSync(vsce, ['package', ...flags, '-o', out], { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  log(`packed ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB, vsce package ${flags.join(' ')})`);
  return out;
}

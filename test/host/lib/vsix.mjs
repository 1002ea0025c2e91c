// Packs the extension the way `npm run package` does (scripts/vsix.mjs: this platform's target, staged with only
// its binaries), into the run's temp profile.
import fs from 'node:fs';
import path from 'node:path';
import { currentTarget, listStaged, pack, stage } from '../../../scripts/vsix.mjs';
import { log } from './log.mjs';

// Paths that must never be inside the .vsix (the code-server install and our own test output live here).
const FORBIDDEN = [/^\.cache\//, /^test-results\//, /^node_modules\/code-server\//];

/**
 * Returns the .vsix path, or null (with the reason logged) when the extension is not built. Before packing,
 * `vsce ls` must not list the code-server install or test output (.vscodeignore must keep them out).
 */
export function packVsix(repo, profile) {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const main = path.join(repo, pkg.main ?? 'dist/extension.js');
  if (!fs.existsSync(main)) {
    log(
      `NOT PACKING a .vsix: ${path.relative(repo, main)} is not built; testing the repository as a development extension instead`,
    );
    return null;
  }
  const target = currentTarget();
  const dir = stage(target, path.join(profile.root, 'vsix-stage'));
  const bad = listStaged(dir).filter((f) => FORBIDDEN.some((re) => re.test(f)));
  if (bad.length)
    throw new Error(
      `the .vsix would contain test-only files (fix .vscodeignore): ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}`,
    );
  const out = path.join(profile.root, `${pkg.name}-${pkg.version}-${target}.vsix`); // per run: parallel runs do not collide
  const bytes = pack(dir, target, out);
  log(`packed ${out} (${(bytes / 1e6).toFixed(1)} MB, vsce package --target ${target})`);
  return out;
}

// `npm run package`: the .vsix for this machine's platform (vsum-<version>-<target>.vsix).
// `npm run package:all`: one per target in scripts/vsix.mjs; a target whose binaries cannot be had here (the
// registry unreachable) is reported and the others still built; the exit code is 1 if any failed.
// Usage: node scripts/package.mjs [--all | --target T …] [--out DIR]
import fs from 'node:fs';
import path from 'node:path';
import { REPO, TARGETS, currentTarget, pack, stage } from './vsix.mjs';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : REPO);
const named = args.flatMap((a, i) => (args[i - 1] === '--target' ? [a] : []));
const targets = args.includes('--all') ? Object.keys(TARGETS) : named.length ? named : [currentTarget()];
const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

const failed = [];
for (const target of targets) {
  try {
    const dir = stage(target);
    const out = path.join(outDir, `${name}-${version}-${target}.vsix`);
    const bytes = pack(dir, target, out);
    console.log(`${target}: ${path.relative(process.cwd(), out) || out} (${(bytes / 1e6).toFixed(1)} MB)`);
  } catch (e) {
    failed.push(target);
    console.error(`${target}: NOT BUILT — ${e instanceof Error ? e.message : e}`);
  }
}
if (failed.length) {
  console.error(`not built: ${failed.join(', ')}`);
  process.exit(1);
}

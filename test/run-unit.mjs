// Runs every unit/reliability test file (test/**/*.test.ts, except the in-host suite) with node's built-in
// test runner, TypeScript loaded through tsx. Extra args are file filters: `node test/run-unit.mjs kts npy`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = ['test/unit', 'test/reliability'];
const filters = process.argv.slice(2);
const files = [];
const walk = (d) => {
  if (!fs.existsSync(d)) return;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
};
roots.forEach(walk);
const chosen = filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files;
if (chosen.length === 0) {
  console.error(`no test files matched ${filters.join(' ')}`);
  process.exit(1);
}
chosen.sort();
const concurrency = process.env.VSUM_TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...chosen], {
  stdio: 'inherit',
  env: { ...process.env, VSUM_TEST: '1' },
});
process.exit(r.status ?? 1);

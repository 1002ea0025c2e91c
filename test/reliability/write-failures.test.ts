/**
 * The output folder cannot be written: its parent is a regular file, the filesystem is read-only, the disk is full.
 * Each is a clear error naming the file and the fix; no temp file and no summary JSON (the completion marker) is
 * left; the CLI works after. Root ignores chmod, so read-only and full disks are real tmpfs mounts (`mount -t tmpfs`
 * works as root here); where mounting is not permitted those two cases say so in the test output.
 */
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  SAMPLE,
  assertCliError,
  assertCliStillWorks,
  assertFiles,
  assertNoChildren,
  cliBundle,
  listFiles,
  runCli,
  workDir,
} from './_helpers';

let dir: string;
const mounts: string[] = [];
before(async () => {
  dir = workDir('write failures');
  await cliBundle();
});
after(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A tmpfs of `size` at a fresh folder, read-only when asked; undefined where mounting is not permitted. */
function tmpfs(name: string, size: string, readOnly = false): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const m = path.join(dir, name);
  fs.mkdirSync(m);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', m], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return undefined;
  mounts.push(m);
  return m;
}

function noMount(t: TestContext, what: string): void {
  t.diagnostic(`mount -t tmpfs is not permitted here: ${what} not exercised (run as root, as .ci/run does)`);
}

test('output folder under a regular file: clear error naming the folder, nothing written', async () => {
  const file = path.join(dir, 'a file.txt');
  fs.writeFileSync(file, 'not a folder');
  const out = path.join(file, 'summaries');
  assertCliError(
    await runCli(['summarize', SAMPLE, '--method', 'tt01', '--out', out]),
    `Cannot create the output folder ${out}`,
    /Choose another with --out/,
  );
  assert.equal(fs.readFileSync(file, 'utf8'), 'not a folder');
  assertFiles(dir);
  await assertNoChildren();
});

test('read-only output folder: clear error naming the file, no temp file left', async (t) => {
  const ro = tmpfs('read only', '1m', true);
  if (!ro) return noMount(t, 'the read-only folder');
  const r = await runCli(['summarize', SAMPLE, '--method', 'kmeans', '--out', ro, '--no-video']);
  // Checked before anything is written (the folder exists, but its file system is read-only).
  assertCliError(
    r,
    `Cannot create the output folder ${ro}: the file system is read-only (EROFS)`,
    /Choose another with --out/,
  );
  assert.deepEqual(listFiles(ro), []);
  await assertCliStillWorks();
});

test('disk full while writing the summary outputs: clear error, no temp file, no summary JSON', async (t) => {
  const full = tmpfs('tiny disk', '4k');
  if (!full) return noMount(t, 'the full disk');
  const r = await runCli(['summarize', SAMPLE, '--method', 'kmeans', '--out', full, '--no-video']);
  assertCliError(
    r,
    `Cannot write ${path.join(full, 'mmcv-test.')}`,
    /the disk is full \(ENOSPC\)/,
    /Free some space or choose another output folder/,
  );
  const left = listFiles(full);
  assert.deepEqual(
    left.filter((f) => f.includes('.vsum-tmp-') || f.endsWith('.summary.json')),
    [],
    `left: ${left}`,
  );
  await assertNoChildren();
  await assertCliStillWorks();
});

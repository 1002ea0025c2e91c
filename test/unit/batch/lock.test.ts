import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VideoLock, staleReason } from '../../../src/core/batch/lock';
import { tempDir } from '../../helpers/fixtures';

const dir = tempDir('vsum-lock-');
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

const owner = (pid: number, host = os.hostname()) =>
  JSON.stringify({ host, pid, pidStart: null, token: `t${pid}`, since: 'then' });

test('one holder at a time; released locks can be taken again', () => {
  const file = path.join(dir, 'one', 'v.lock');
  const a = VideoLock.tryAcquire(file);
  assert.ok('lock' in a);
  const b = VideoLock.tryAcquire(file);
  assert.ok('heldBy' in b && b.heldBy.startsWith(`${os.hostname()}:${process.pid}`), JSON.stringify(b));
  assert.ok(a.lock.held());
  a.lock.release();
  assert.ok(!fs.existsSync(file));
  const c = VideoLock.tryAcquire(file);
  assert.ok('lock' in c && c.tookOver === undefined);
  c.lock.release();
});

test('stale: a dead PID on this host at once; another host only after the lease; the lease is renewed', async () => {
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.on('close', r));
  const file = path.join(dir, 'dead.lock');
  fs.writeFileSync(file, owner(dead.pid!));
  assert.match(staleReason(file) ?? '', /PID \d+ on this host, is gone/);

  const remote = path.join(dir, 'remote.lock');
  fs.writeFileSync(remote, owner(1, 'some-other-node'));
  assert.equal(staleReason(remote, 60_000), undefined, 'a fresh lock of another host stands');
  const old = new Date(Date.now() - 120_000);
  fs.utimesSync(remote, old, old);
  assert.match(staleReason(remote, 60_000) ?? '', /lease was last renewed 1\d\d s ago \(some-other-node:1\)/);
  const taken = VideoLock.tryAcquire(remote, { leaseMs: 60_000 });
  assert.ok('lock' in taken && /lease/.test(taken.tookOver ?? ''));
  taken.lock.release();

  // A holder renews its lease while it works, so a short lease does not expire under it.
  const held = VideoLock.tryAcquire(path.join(dir, 'renewed.lock'), { leaseMs: 400 });
  assert.ok('lock' in held);
  const leaseAt = Date.now();
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(Date.now() - fs.statSync(held.lock.file).mtimeMs < 400, 'touched within the lease');
  assert.ok(Date.now() - leaseAt >= 1000);
  held.lock.release();
});

test('a lock taken over by another worker is no longer held, and its release leaves the new owner alone', () => {
  const file = path.join(dir, 'stolen.lock');
  const first = VideoLock.tryAcquire(file);
  assert.ok('lock' in first);
  fs.writeFileSync(file, owner(99999999, 'thief'));
  assert.equal(first.lock.held(), false);
  first.lock.release();
  assert.match(fs.readFileSync(file, 'utf8'), /thief/);
});

// Stages in the engine process: the same outputs as in-process, cancellation across the boundary kills ffmpeg
// in the engine, and an engine crash (killed, out of memory) is the cell's error while the next cell runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isCancelled, VsumError } from '../../../src/core/errors';
import { resolveFfmpeg } from '../../../src/core/video/ffmpeg';
import { ChildEngine } from '../../../src/notebook/engine/child-engine';
import { ensureBuiltCli } from '../../helpers/cli';
import { NotebookRun, SAMPLE, tempNotebookDir } from '../extension/_stage-harness';

ensureBuiltCli();

function sampleNotebook(engine?: ChildEngine, extra: string[] = []) {
  const dir = tempNotebookDir();
  fs.copyFileSync(SAMPLE, path.join(dir, 'clip.mp4'));
  return new NotebookRun(
    dir,
    [
      'load: clip.mp4',
      'embed: {model: histogram}',
      'summarize: {method: [kmeans, tt01], ratio: 0.3, video: false}',
      ...extra,
    ],
    undefined,
    engine,
  );
}

test('the engine process gives the same outputs and session values as the in-process engine', async () => {
  const engine = new ChildEngine();
  try {
    const here = await sampleNotebook().runAll();
    const there = await sampleNotebook(engine).runAll();
    assert.ok(engine.pid !== undefined && engine.pid !== process.pid);
    for (let i = 0; i < here.length; i++) {
      assert.deepEqual(
        there[i].outputs.map((o) => o.items.map((it) => it.mime)),
        here[i].outputs.map((o) => o.items.map((it) => it.mime)),
        `cell ${i + 1} output kinds`,
      );
    }
    const md = (r: (typeof here)[number]) =>
      r.outputs
        .flatMap((o) => o.items)
        .filter((it) => it.mime !== 'text/markdown' || !/ in \d/.test(new TextDecoder().decode(it.data)))
        .map((it) => it.data);
    assert.deepEqual(md(there[2]), md(here[2]), 'summarize outputs byte-identical');
    const feats = there[1].gives.features!;
    assert.ok(feats.items[0].features.data instanceof Float32Array, 'features come back as a Float32Array');
    assert.deepEqual(feats.items[0].features.data, here[1].gives.features!.items[0].features.data);
  } finally {
    engine.dispose();
  }
});

test("an engine crash (killed, or out of memory) is the cell's error, and the next cell runs in a fresh engine", async () => {
  const engine = new ChildEngine({ execArgv: ['--max-old-space-size=48'] });
  try {
    const nb = sampleNotebook(engine, [
      'script: process.kill(process.pid, "SIGKILL")',
      'script: "const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random()));"',
      'script: return 42',
    ]);
    await nb.run(0);
    const first = engine.pid;
    await assert.rejects(
      nb.run(3),
      (e: unknown) => e instanceof VsumError && e.code === 'ENGINE_CRASHED' && /killed by SIGKILL/.test(e.message),
    );
    await assert.rejects(nb.run(4), (e: unknown) => e instanceof VsumError && e.code === 'ENGINE_CRASHED');
    const r = await nb.run(5);
    assert.equal(new TextDecoder().decode(r.outputs[0].items[0].data), '42');
    assert.notEqual(engine.pid, first, 'a fresh engine');
    // The session (held by the caller) survived the crashes: embed still finds the loaded video.
    await nb.run(1);
  } finally {
    engine.dispose();
  }
});

test('cancelling a stage in the engine aborts it there: ffmpeg killed, no file left, the same engine runs on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-engine-cancel-'));
  const long = path.join(os.tmpdir(), 'vsum-test-testsrc2-640x360-25-120.mp4');
  if (!fs.existsSync(long)) {
    const tools = await resolveFfmpeg();
    execFileSync(tools.ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=25:duration=120',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-y',
      `${long}.tmp.mp4`,
    ]);
    fs.renameSync(`${long}.tmp.mp4`, long);
  }
  const engine = new ChildEngine();
  try {
    const nb = new NotebookRun(dir, [`load: ${JSON.stringify(long)}`, 'embed: {model: histogram}'], undefined, engine);
    await nb.run(0);
    const pid = engine.pid;
    const ac = new AbortController();
    const p = nb.run(1, ac.signal);
    const t0 = Date.now();
    while ((await engine.liveChildren()).length === 0 && Date.now() - t0 < 30_000)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok((await engine.liveChildren()).length > 0, 'ffmpeg runs in the engine');
    ac.abort();
    await assert.rejects(p, (e: unknown) => isCancelled(e));
    assert.deepEqual(await engine.liveChildren(), [], 'no ffmpeg child survives in the engine');
    assert.equal(engine.pid, pid, 'the engine stopped the work itself (not killed)');
    await nb.run(0);
  } finally {
    engine.dispose();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MIME } from '../../../src/common/mime';
import type { ScorePlotPayload } from '../../../src/common/payloads';
import { resolveFfmpeg } from '../../../src/core/video/ffmpeg';
import { NotebookRun, tempNotebookDir } from '../extension/_stage-harness';
import { hardCutVideo } from '../../helpers/shot-video';

test('a shots cell plots the per-frame content score with the cuts and lists the shots', async () => {
  const tools = await resolveFfmpeg();
  const { file, cuts } = hardCutVideo(tools);
  const dir = tempNotebookDir();
  fs.copyFileSync(file, path.join(dir, 'cuts.mp4'));
  const run = new NotebookRun(dir, [
    'load: cuts.mp4',
    'shots: content',
    'shots: {detector: adaptive, minSceneLength: 10}',
  ]);
  const results = await run.runAll();
  for (const r of results.slice(1)) {
    const plot = r.outputs.flatMap((o) => o.items).find((i) => i.mime === MIME.scorePlot);
    assert.ok(plot, 'a score plot');
    const p = JSON.parse(new TextDecoder().decode(plot.data)) as ScorePlotPayload;
    assert.deepEqual(p.boundaries, cuts);
    assert.equal(p.series[0].y.length, 250, 'one score per frame (short video: not pooled)');
    const table = r.outputs.at(-1)!.items.find((i) => i.mime === 'text/markdown');
    assert.match(new TextDecoder().decode(table!.data), /\*\*cuts\*\*: 5 shots/);
  }
});

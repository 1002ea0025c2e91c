// Interrupting a long cell in a real VS Code: the execution's cancellation crosses into the engine process and
// reaches the stage's AbortSignal there, ffmpeg is killed at once, no ffmpeg child of the host or the engine
// survives, and the engine (the same process: its work stopped, it was not killed) runs the next cell.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { resolveFfmpeg } from '../../src/core/video/ffmpeg';
import { MIME } from '../../src/common/mime';
import { waitFor, workspaceDir } from './host';
import {
  closeAllEditors,
  errorText,
  ffmpegChildren,
  openNotebook,
  runCells,
  vsumApi,
  writeNotebook,
} from './notebook-helpers';

suite('vsum notebook: interrupt', () => {
  suiteTeardown(closeAllEditors);

  test('interrupting a long embed kills ffmpeg and says the cell was cancelled', async function () {
    this.timeout(240_000);
    const api = await vsumApi();
    const long = path.join(workspaceDir(), 'long.mp4');
    if (!fs.existsSync(long)) {
      const tools = await resolveFfmpeg();
      // 4 minutes of 640×360 test pattern: decoding it takes far longer than the test waits.
      execFileSync(tools.ffmpeg, [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=640x360:rate=25:duration=240',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-y',
        long,
      ]);
    }
    const doc = await openNotebook(writeNotebook('interrupt.vsumnb', ['load: long.mp4', 'embed: {model: histogram}']));
    await runCells(doc, 0);
    assert.equal(doc.cellAt(0).executionSummary?.success, true, errorText(doc.cellAt(0)));
    const t0 = Date.now();
    void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 1, end: 2 }], document: doc.uri });
    await waitFor('the embed cell to start ffmpeg', async () => (await api.liveChildren()).length > 0, 60_000);
    const engine = api.enginePid();
    assert.ok(
      engine !== undefined && engine !== process.pid,
      'the stage runs in the engine process, not the extension host',
    );
    assert.deepEqual(ffmpegChildren([process.pid]), [], 'no ffmpeg runs on the extension host itself');
    assert.ok(
      ffmpegChildren([engine]).length > 0 || process.platform !== 'linux',
      'an ffmpeg child of the engine is running',
    );
    // While it runs, the cell shows its progress inside its output.
    const progress = await waitFor(
      "progress in the running cell's output",
      () =>
        doc
          .cellAt(1)
          .outputs.flatMap((o) => o.items)
          .find((i) => i.mime === MIME.progress),
      30_000,
    );
    assert.equal(JSON.parse(new TextDecoder().decode(progress.data)).stage, 'embed');
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', {
      ranges: [{ start: 1, end: 2 }],
      document: doc.uri,
    });
    const cell = doc.cellAt(1);
    await waitFor(
      'the cancelled cell to end',
      () => (cell.executionSummary?.timing?.endTime ?? 0) >= t0 && cell.executionSummary?.success === false,
      60_000,
    );
    assert.match(errorText(cell), /^Cancelled/);
    await waitFor(
      'every ffmpeg child to exit',
      async () => (await api.liveChildren()).length === 0 && ffmpegChildren([process.pid, engine]).length === 0,
      10_000,
    );
    assert.deepEqual(await api.liveChildren(), []);
    assert.deepEqual(ffmpegChildren([process.pid, engine]), []);
    // The engine stopped the stage's work (not killed for it): the same process runs the next cell at once.
    await runCells(doc, 0);
    assert.equal(doc.cellAt(0).executionSummary?.success, true, errorText(doc.cellAt(0)));
    assert.equal(api.enginePid(), engine, 'the engine was not restarted');
  });
});

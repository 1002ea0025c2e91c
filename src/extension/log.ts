/** The "vsum" log channel: every ffmpeg / onnxruntime command vsum runs, with its time and exit code. */
import * as vscode from 'vscode';
import { onCommand } from '../core/video/process';

export function createLog(): { channel: vscode.LogOutputChannel; dispose(): void } {
  const channel = vscode.window.createOutputChannel('vsum', { log: true });
  const off = onCommand((e) => {
    const cmd = [e.bin, ...e.args].map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
    if (e.ms === undefined) channel.info(`run: ${cmd}`);
    else if (e.code === 0) channel.info(`done in ${e.ms} ms: ${cmd}`);
    else channel.warn(`exit ${e.code ?? 'killed'} after ${e.ms} ms: ${cmd}`);
  });
  return {
    channel,
    dispose: () => {
      off();
      channel.dispose();
    },
  };
}

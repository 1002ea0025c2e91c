/** The "vsum" log channel: every ffmpeg / onnxruntime command vsum runs, with its time and exit code. */
import * as vscode from 'vscode';
import { describeCommand, onCommand } from '../core/video/process';

export function createLog(): { channel: vscode.LogOutputChannel; dispose(): void } {
  const channel = vscode.window.createOutputChannel('vsum', { log: true });
  const off = onCommand((e) => {
    const { level, line } = describeCommand(e);
    channel[level](line);
  });
  return {
    channel,
    dispose: () => {
      off();
      channel.dispose();
    },
  };
}

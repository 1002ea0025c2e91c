/** The vsum.* settings, read per resource (a notebook may sit in a folder with its own settings). */
import * as vscode from 'vscode';
import type { StageSettings } from './kernel/context';

export function readSettings(scope?: vscode.Uri): StageSettings {
  const c = vscode.workspace.getConfiguration('vsum', scope);
  const str = (k: string) => {
    const v = c.get<string>(k);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  return {
    ffmpegPath: str('ffmpegPath'),
    model: str('model') ?? 'histogram',
    executionProvider: str('executionProvider') ?? 'auto',
    cacheDirectory: str('cacheDirectory'),
    outputDirectory: str('outputDirectory'),
  };
}

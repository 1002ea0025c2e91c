/** The vsum.* settings, read per resource (a notebook may sit in a folder with its own settings). */
import path from 'node:path';
import * as vscode from 'vscode';
import type { StageSettings } from '../core/stages/stage';

export function readSettings(scope?: vscode.Uri): StageSettings {
  const c = vscode.workspace.getConfiguration('vsum', scope);
  const str = (k: string) => {
    const v = c.get<string>(k);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  // A relative output folder is relative to the workspace folder (not to each notebook).
  let outputDirectory = str('outputDirectory');
  if (outputDirectory && !path.isAbsolute(outputDirectory)) {
    const root = (scope && vscode.workspace.getWorkspaceFolder(scope)) || vscode.workspace.workspaceFolders?.[0];
    if (root) outputDirectory = path.join(root.uri.fsPath, outputDirectory);
  }
  return {
    ffmpegPath: str('ffmpegPath'),
    model: str('model') ?? 'histogram',
    executionProvider: str('executionProvider') ?? 'auto',
    cacheDirectory: str('cacheDirectory'),
    outputDirectory,
  };
}

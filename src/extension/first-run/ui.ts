/**
 * The three questions the first-run features ask: a file, a folder, one of a few buttons. Users get VS Code's open
 * dialog and a modal message; the in-host tests replace them through `VsumApi.testing.setUi` (the only seam), so a
 * test drives the same commands a user clicks.
 */
import * as vscode from 'vscode';

export interface PickOptions {
  title: string;
  openLabel: string;
  /** Where the dialog opens. */
  defaultUri?: vscode.Uri;
  /** Dialog filters, e.g. { Videos: ['mp4', 'webm'] }. */
  filters?: Record<string, string[]>;
}

export interface FirstRunUi {
  pickFile(o: PickOptions): Promise<vscode.Uri | undefined>;
  pickFolder(o: PickOptions): Promise<vscode.Uri | undefined>;
  /** A modal question with buttons; the label clicked, or undefined when dismissed. */
  choose(message: string, detail: string, labels: string[]): Promise<string | undefined>;
  /** A notification with buttons that does not block (the shipped notebooks' offer to pick their data). */
  offer(message: string, labels: string[]): Promise<string | undefined>;
}

const realUi: FirstRunUi = {
  async pickFile(o) {
    const r = await vscode.window.showOpenDialog({ ...o, canSelectFiles: true, canSelectFolders: false });
    return r?.[0];
  },
  async pickFolder(o) {
    const r = await vscode.window.showOpenDialog({
      title: o.title,
      openLabel: o.openLabel,
      defaultUri: o.defaultUri,
      canSelectFiles: false,
      canSelectFolders: true,
    });
    return r?.[0];
  },
  async choose(message, detail, labels) {
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...labels);
  },
  async offer(message, labels) {
    return vscode.window.showInformationMessage(message, ...labels);
  },
};

let current: FirstRunUi = realUi;

export function ui(): FirstRunUi {
  return current;
}

/** Tests only: replace some of the questions (undefined restores VS Code's own). */
export function setUiForTests(replacement?: Partial<FirstRunUi>): void {
  current = replacement ? { ...realUi, ...replacement } : realUi;
}

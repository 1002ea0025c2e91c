/**
 * Quick fixes for the diagnostics the stage schema finds (src/notebook/parse.ts): an unknown stage or option, or an
 * enum value, becomes the name it was nearest to; a number out of range becomes the bound.
 */
import * as vscode from 'vscode';
import { STAGE_LANGUAGE } from '../../common/mime';
import { parseStageCell } from '../../notebook/parse';

export function registerQuickFixes(): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(doc, range) {
      const text = doc.getText();
      return parseStageCell(text).diagnostics.flatMap((d) => {
        const r = new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.end));
        if (!d.fix || !r.intersection(range)) return [];
        const action = new vscode.CodeAction(d.fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, r, d.fix.text);
        action.isPreferred = true;
        const diag = new vscode.Diagnostic(r, d.message, vscode.DiagnosticSeverity.Error);
        diag.source = 'vsum';
        action.diagnostics = [diag];
        return [action];
      });
    },
  };
  return vscode.languages.registerCodeActionsProvider({ language: STAGE_LANGUAGE }, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}

/** Completion, hover and diagnostics for stage cells (language `vsum`), all from the stage schema. */
import * as vscode from 'vscode';
import { STAGE_LANGUAGE } from '../common/mime';
import { completionsAt, hoverAt } from './stages/assist';
import { parseStageCell } from '../notebook/parse';

const selector: vscode.DocumentSelector = { language: STAGE_LANGUAGE };

export function registerLanguageFeatures(): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('vsum');
  const update = (doc: vscode.TextDocument) => {
    if (doc.languageId !== STAGE_LANGUAGE) return;
    const text = doc.getText();
    const parsed = parseStageCell(text);
    diagnostics.set(
      doc.uri,
      parsed.diagnostics.map((d) => {
        const diag = new vscode.Diagnostic(
          new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.end)),
          d.message,
          d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        diag.source = 'vsum';
        return diag;
      }),
    );
  };
  vscode.workspace.textDocuments.forEach(update);
  return vscode.Disposable.from(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => update(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)),
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        provideCompletionItems(doc, pos) {
          return completionsAt(doc.getText(), doc.offsetAt(pos)).map((c) => {
            const item = new vscode.CompletionItem(
              c.label,
              c.kind === 'stage'
                ? vscode.CompletionItemKind.Module
                : c.kind === 'option'
                  ? vscode.CompletionItemKind.Property
                  : vscode.CompletionItemKind.EnumMember,
            );
            item.insertText = c.snippet ? new vscode.SnippetString(c.insert) : c.insert;
            item.documentation = new vscode.MarkdownString(c.documentation);
            return item;
          });
        },
      },
      ':',
      ' ',
      '{',
      ',',
      '[',
    ),
    vscode.languages.registerHoverProvider(selector, {
      provideHover(doc, pos) {
        const h = hoverAt(doc.getText(), doc.offsetAt(pos));
        if (!h) return undefined;
        return new vscode.Hover(
          new vscode.MarkdownString(h.markdown),
          new vscode.Range(doc.positionAt(h.start), doc.positionAt(h.end)),
        );
      },
    }),
  );
}

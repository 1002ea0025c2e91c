// A stand-in `vscode` module for the activation bench ONLY (the real in-host tests use code-server): every
// property is a callable, constructible proxy, so activate() can register its commands, serializer, controller,
// language features and output channel without a host. It measures our own activation work (bundle load +
// activate()), not VS Code's extension host overhead.
const handler = {
  get(target, prop) {
    if (prop === 'then') return undefined; // not a thenable
    if (prop === Symbol.toPrimitive) return () => 'fake';
    if (prop === Symbol.iterator) return function* () {};
    if (prop === 'dispose') return () => undefined;
    if (!(prop in target.cache)) target.cache[prop] = fake();
    return target.cache[prop];
  },
  apply() {
    return fake();
  },
  construct() {
    return fake();
  },
};
function fake() {
  const f = function () {};
  f.cache = Object.create(null);
  return new Proxy(f, handler);
}
// esbuild's ESM interop copies the module's own property names, so the top level lists the API's namespaces and
// classes explicitly (each a fake).
const NAMES = [
  'commands',
  'window',
  'workspace',
  'languages',
  'notebooks',
  'env',
  'extensions',
  'debug',
  'tasks',
  'scm',
  'tests',
  'authentication',
  'l10n',
  'comments',
  'version',
  'Uri',
  'EventEmitter',
  'Disposable',
  'Range',
  'Position',
  'Selection',
  'Location',
  'CompletionItem',
  'CompletionItemKind',
  'CompletionList',
  'ConfigurationTarget',
  'Diagnostic',
  'DiagnosticSeverity',
  'Hover',
  'MarkdownString',
  'SnippetString',
  'TextEdit',
  'WorkspaceEdit',
  'ThemeIcon',
  'ThemeColor',
  'ProgressLocation',
  'StatusBarAlignment',
  'TreeItem',
  'ViewColumn',
  'CancellationTokenSource',
  'CancellationError',
  'FileType',
  'RelativePattern',
  'LogLevel',
  'NotebookCellData',
  'NotebookCellKind',
  'NotebookCellOutput',
  'NotebookCellOutputItem',
  'NotebookCellStatusBarAlignment',
  'NotebookCellStatusBarItem',
  'NotebookControllerAffinity',
  'NotebookData',
  'NotebookEdit',
  'NotebookRange',
  'ExtensionMode',
];
const api = {};
for (const n of NAMES) api[n] = fake();
module.exports = api;

// Layer rules (docs/ARCHITECTURE.md "Layers"), checked by `npm run lint` (depcruise):
//   core is the pipeline: it imports none of the layers above it (vscode, extension, cli, webview, notebook);
//   notebook (the .vsumnb format and output builders, shared by the kernel and `vsum run`) imports no vscode,
//   extension or cli code; common holds only the types and constants both sides of the renderer boundary share,
//   so it imports nothing; webview (browser renderers) imports only common, its own `_` helpers and npm packages;
//   cli never imports the extension; and there is no import cycle anywhere.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules that need each other to load. Pass what is shared in (see cli/context.ts).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-adapter',
      severity: 'error',
      comment: 'src/core runs in the CLI, the engine and tests: no vscode, extension, CLI, webview or notebook code.',
      from: { path: '^src/core/' },
      to: { path: ['^src/(extension|cli|notebook)/', '^webview/', '^vscode$'] },
    },
    {
      name: 'no-vscode-outside-the-extension',
      severity: 'error',
      comment: 'The vscode module exists only inside the extension host (core, notebook: see their rules).',
      from: { path: '^src/(cli|common)/' },
      to: { path: '^vscode$' },
    },
    {
      name: 'notebook-imports-no-adapter',
      severity: 'error',
      comment: 'src/notebook is used by the CLI (`vsum run`) as well as the kernel: no vscode, extension or CLI code.',
      from: { path: '^src/notebook/' },
      to: { path: ['^src/(extension|cli)/', '^webview/', '^vscode$'] },
    },
    {
      name: 'common-imports-nothing',
      severity: 'error',
      comment: 'src/common is shared with the browser renderers: plain types and constants, no imports but its own.',
      from: { path: '^src/common/' },
      to: { pathNot: ['^src/common/'] },
    },
    {
      name: 'webview-imports-only-common',
      severity: 'error',
      comment: 'Renderers talk to the kernel only through the mime types and messages in src/common.',
      from: { path: '^webview/' },
      to: { pathNot: ['^webview/', '^src/common/'], dependencyTypesNot: ['npm', 'npm-dev'] },
    },
    {
      name: 'cli-imports-no-extension',
      severity: 'error',
      comment: 'The CLI runs without VS Code: shared code belongs in src/core.',
      from: { path: '^src/cli/' },
      to: { path: '^src/extension/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing (a typo, or a package missing from package.json).',
      from: {},
      to: { couldNotResolve: true, pathNot: ['^vscode$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^out/', '^node_modules/', '^\\.cache/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.cjs', '.js', '.json'],
    },
  },
};

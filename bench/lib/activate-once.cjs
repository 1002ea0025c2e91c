// One cold activation: load dist/extension.js with the fake `vscode` module, call activate(), print JSON
// {ms, requireMs, activateMs, ortLoaded}. Run in a fresh process per measurement (the bench does).
const Module = require('node:module');
const path = require('node:path');
const fakePath = path.join(__dirname, 'fake-vscode.cjs');
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return fakePath;
  return origResolve.call(this, request, ...rest);
};
const ext = path.resolve(__dirname, '..', '..', 'dist', 'extension.js');
const context = {
  subscriptions: [],
  extensionPath: path.resolve(__dirname, '..', '..'),
  extensionUri: require(fakePath),
  globalStorageUri: require(fakePath),
  globalState: { get: () => undefined, update: async () => undefined, keys: () => [] },
  workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
  asAbsolutePath: (p) => path.resolve(__dirname, '..', '..', p),
  extensionMode: 1,
};
const t0 = process.hrtime.bigint();
const mod = require(ext);
const t1 = process.hrtime.bigint();
Promise.resolve(mod.activate(context)).then(() => {
  const t2 = process.hrtime.bigint();
  const ortLoaded = Object.keys(require.cache).some((k) => k.includes('onnxruntime'));
  process.stdout.write(
    JSON.stringify({
      ms: Number(t2 - t0) / 1e6,
      requireMs: Number(t1 - t0) / 1e6,
      activateMs: Number(t2 - t1) / 1e6,
      ortLoaded,
      subscriptions: context.subscriptions.length,
    }),
  );
  process.exit(0);
});

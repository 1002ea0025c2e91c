/**
 * The layer rules of .dependency-cruiser.cjs (run by `npm run lint`) must catch what they are for: a tree of small
 * files that breaks each rule once, plus the allowed imports beside them, cruised with the project's own rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

test('dependency-cruiser flags each layer violation and each cycle, and nothing allowed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-layers-'));
  const write = (f: string, src: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), src);
  };
  try {
    write('src/common/mime.ts', 'export const M = 1;\n');
    write('src/common/bad.ts', "import { E } from '../core/errors';\nexport const b = E;\n");
    write('src/core/errors.ts', "import { M } from '../common/mime';\nexport const E = M;\n");
    write('src/core/bad.ts', "import '../extension/ext';\nimport '../notebook/format';\nimport 'vscode';\n");
    write('src/core/cycle-a.ts', "import { b } from './cycle-b';\nexport const a = () => b;\n");
    write('src/core/cycle-b.ts', "import { a } from './cycle-a';\nexport const b = () => a;\n");
    write('src/notebook/format.ts', "import { E } from '../core/errors';\nexport const F = E;\n");
    write('src/notebook/bad.ts', "import '../cli/main';\n");
    write('src/cli/main.ts', "import { F } from '../notebook/format';\nexport const C = F;\n");
    write('src/cli/bad.ts', "import '../extension/ext';\n");
    write('src/extension/ext.ts', "import 'vscode';\nimport { F } from '../notebook/format';\nexport const X = F;\n");
    write('webview/_dom.ts', 'export const D = 1;\n');
    write(
      'webview/plot.ts',
      "import { M } from '../src/common/mime';\nimport { D } from './_dom';\nexport const P = M + D;\n",
    );
    write('webview/bad.ts', "import { E } from '../src/core/errors';\nexport const W = E;\n");

    // dependency-cruiser is ESM-only; this test file is CommonJS.
    const { cruise } = (await import('dependency-cruiser')) as typeof import('dependency-cruiser', {
      with: { 'resolution-mode': 'import' },
    });
    const config = (await import(path.join(REPO, '.dependency-cruiser.cjs'))) as { default?: { forbidden: unknown[] } };
    const forbidden = (config.default ?? (config as { forbidden: unknown[] })).forbidden;
    assert.ok(Array.isArray(forbidden) && forbidden.length > 0, 'the rules load');
    const result = await cruise(['src', 'webview'], {
      validate: true,
      ruleSet: { forbidden } as never,
      baseDir: dir,
      tsPreCompilationDeps: true,
    });
    const output = result.output as {
      summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
    };
    const found = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    // A cycle is reported once, from whichever of its files is met first.
    const cycles = found.filter((f) => f.startsWith('no-circular: '));
    assert.equal(cycles.length, 1, `one cycle: ${cycles.join('; ')}`);
    assert.match(cycles[0], /src\/core\/cycle-[ab]\.ts → src\/core\/cycle-[ab]\.ts/);
    assert.deepEqual(
      found.filter((f) => !cycles.includes(f)),
      [
        'cli-imports-no-extension: src/cli/bad.ts → src/extension/ext.ts',
        'common-imports-nothing: src/common/bad.ts → src/core/errors.ts',
        'core-imports-no-adapter: src/core/bad.ts → src/extension/ext.ts',
        'core-imports-no-adapter: src/core/bad.ts → src/notebook/format.ts',
        'core-imports-no-adapter: src/core/bad.ts → vscode',
        'notebook-imports-no-adapter: src/notebook/bad.ts → src/cli/main.ts',
        'webview-imports-only-common: webview/bad.ts → src/core/errors.ts',
      ],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

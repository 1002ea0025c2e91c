/**
 * Renderers must never turn file-derived strings into markup: a static scan of our renderer sources (webview/*.ts)
 * for HTML-string sinks, inline event handlers and string evaluation. (The DOM behaviour with hostile names is
 * tested in test/unit/webview; the bundled plotly library is third-party and not scanned.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers/fixtures';

const SINKS: Array<[RegExp, string]> = [
  [/\.(innerHTML|outerHTML)\s*[+]?=/, 'assigns HTML (innerHTML/outerHTML)'],
  [/\binsertAdjacentHTML\s*\(/, 'insertAdjacentHTML'],
  [/\bdocument\.write(ln)?\s*\(/, 'document.write'],
  [/\bcreateContextualFragment\s*\(|\bDOMParser\b/, 'parses HTML strings'],
  [/\beval\s*\(|\bnew\s+Function\s*\(/, 'evaluates strings as code'],
  [/setAttribute\(\s*['"`]on[a-z]+['"`]/i, 'sets an inline event handler attribute'],
  [/<[a-z][^>]*\son[a-z]+\s*=/i, 'inline event handler in markup'],
  [/<script\b/i, 'inline <script> in markup'],
  [/\bsrcdoc\b/, 'iframe srcdoc'],
  [/javascript:/i, 'javascript: URL'],
];

test('renderer sources have no HTML-string sinks, inline handlers or eval', () => {
  const dir = path.join(REPO, 'webview');
  const files = fs.readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'));
  assert.ok(files.length >= 5, `renderer sources found: ${files}`);
  const problems: string[] = [];
  for (const f of files) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, ''); // comments may mention the sinks
      for (const [re, what] of SINKS) if (re.test(code)) problems.push(`${f}:${i + 1}: ${what}: ${line.trim()}`);
    });
  }
  assert.deepEqual(problems, []);
});

/**
 * `npm run typecheck` is `tsc -b` over one project per layer (tsconfig.json's references). A file no project
 * includes is never type-checked, so every .ts file must belong to exactly one; and each layer sees only its own
 * ambient world: DOM for the renderers (and the tests that drive them), vscode for the extension, node elsewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '..', '..', '..');
const ROOTS = ['src', 'webview', 'test', 'bench'];

interface Project {
  dir: string;
  options: ts.CompilerOptions;
  files: string[];
}

function load(configFile: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  );
  assert.ok(parsed, configFile);
  assert.deepEqual(
    parsed.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')),
    [],
    configFile,
  );
  return parsed;
}

function projects(): Project[] {
  const solution = load(path.join(REPO, 'tsconfig.json'));
  assert.equal(solution.fileNames.length, 0, 'the root tsconfig.json is a solution file (files: [])');
  return (solution.projectReferences ?? []).map((r) => {
    const file = ts.resolveProjectReferencePath(r);
    const p = load(file);
    return {
      dir: path.relative(REPO, path.dirname(file)),
      options: p.options,
      files: p.fileNames.map((f) => path.relative(REPO, f)),
    };
  });
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) tsFiles(rel, out);
    } else if (e.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

test('every TypeScript file belongs to exactly one layer project', () => {
  const owners = new Map<string, string[]>();
  for (const p of projects()) for (const f of p.files) owners.set(f, [...(owners.get(f) ?? []), p.dir]);
  const problems: string[] = [];
  for (const f of ROOTS.flatMap((r) => tsFiles(r))) {
    const o = owners.get(f) ?? [];
    if (o.length === 0)
      problems.push(`${f} is in no project: give its folder a tsconfig.json and add it to the root references`);
    if (o.length > 1) problems.push(`${f} is in ${o.join(' and ')}`);
  }
  assert.deepEqual(problems, []);
});

test('each layer gets only its own ambient types: DOM in webview and test, vscode in the extension and test', () => {
  const byDir = new Map(projects().map((p) => [p.dir, p]));
  const libs = (p: Project) => (p.options.lib ?? []).map((l) => l.toLowerCase());
  const dom = (p: Project) => libs(p).some((l) => l.includes('lib.dom'));
  for (const [dir, p] of byDir) {
    const types = p.options.types ?? [];
    assert.ok(p.options.composite, `${dir} is composite (tsc -b builds it)`);
    assert.equal(dom(p), dir === 'webview' || dir === 'test', `${dir}: DOM types ${dom(p) ? 'present' : 'absent'}`);
    assert.equal(types.includes('vscode'), dir === 'src/extension' || dir === 'test', `${dir}: vscode types`);
    if (dir === 'webview' || dir === 'src/common')
      assert.ok(!types.includes('node'), `${dir} runs in the browser: no node types`);
  }
  for (const need of ['src/common', 'src/core', 'src/cli', 'src/extension', 'webview', 'test', 'bench'])
    assert.ok(byDir.has(need), `a project for ${need}`);
});

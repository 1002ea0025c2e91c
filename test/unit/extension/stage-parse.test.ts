import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStageCell } from '../../../src/notebook/parse';
import { completionsAt, hoverAt } from '../../../src/extension/stages/assist';
import { STAGE_NAMES, STAGE_SCHEMA } from '../../../src/core/stages/registry';
import { validate, type SchemaNode } from '../../../src/core/stages/schema';

test("the issue's example cells parse to stage + options, shorthands expanded", () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['load: videos/Jumps.mp4', 'load', { video: 'videos/Jumps.mp4' }],
    ['embed: {model: k600, ep: auto}', 'embed', { model: 'k600', ep: 'auto' }],
    ['summarize: {method: tt01, threshold: 400, seed: 1}', 'summarize', { method: 'tt01', threshold: 400, seed: 1 }],
    [
      'evaluate: {gt: summe/GT, submission: results/tt01.json}',
      'evaluate',
      { gt: 'summe/GT', submission: 'results/tt01.json' },
    ],
    ['attention: {clip: 12}', 'attention', { clip: 12 }],
    ['attention: 12', 'attention', { clip: 12 }],
    ['embed:', 'embed', {}],
    [
      '# a comment\nsummarize:\n  method: [kmeans, tt01, tt02]\n  ratio: 0.2\n',
      'summarize',
      { method: ['kmeans', 'tt01', 'tt02'], ratio: 0.2 },
    ],
    ['summarize: {threshold: average}', 'summarize', { threshold: 'average' }],
    ['script: |\n  return results.video.videos.length\n', 'script', { code: 'return results.video.videos.length\n' }],
  ];
  for (const [text, name, options] of cases) {
    const r = parseStageCell(text);
    assert.deepEqual(r.diagnostics, [], text);
    assert.equal(r.stage?.name, name);
    assert.deepEqual(r.stage?.options, options, text);
  }
});

/** The diagnostic's squiggle covers exactly `under` in the text. */
function squiggle(text: string, re: RegExp, under: string) {
  const r = parseStageCell(text);
  assert.equal(r.stage, undefined, `${text} must not run`);
  const d = r.diagnostics.find((x) => re.test(x.message));
  assert.ok(d, `expected ${re} among ${JSON.stringify(r.diagnostics.map((x) => x.message))}`);
  assert.equal(text.slice(d.start, d.end), under, `range of "${d.message}"`);
}

test('unknown stage: squiggle on the name, with a suggestion', () => {
  squiggle('sumarize: {method: tt01}', /Unknown stage "sumarize" \(did you mean "summarize"\?\)/, 'sumarize');
  squiggle('frobnicate: 1', /Unknown stage "frobnicate"\. Stages: load, embed/, 'frobnicate');
});

test('unknown option: squiggle on the key, lists the options', () => {
  squiggle(
    'summarize: {method: tt01, treshold: 4}',
    /unknown option "treshold" \(did you mean "threshold"\?\)/,
    'treshold',
  );
  squiggle('embed:\n  modle: k600', /unknown option "modle"/, 'modle');
});

test('bad values: squiggle on the value with the rule broken', () => {
  squiggle('summarize: {method: tt03}', /"tt03" is not one of "kmeans", "tt01", "tt02", "kts"/, 'tt03');
  squiggle('summarize: {ratio: 1.5}', /ratio: must be ≤ 1, got 1.5/, '1.5');
  squiggle('summarize: {ratio: 0}', /ratio: must be > 0/, '0');
  squiggle('summarize: {seed: 1.5}', /seed: expected an integer/, '1.5');
  squiggle('summarize: {threshold: huge}', /"huge" is not one of "small", "average", "large"/, 'huge');
  squiggle('summarize: {method: [kmeans, foo]}', /method\.1: string "foo" is not one of/, 'foo');
  squiggle('attention: {clip: -1}', /clip: must be ≥ 0/, '-1');
  squiggle('attention: twelve', /expected an integer, got string "twelve"/, 'twelve');
  squiggle('embed: {ep: tpu}', /"tpu" is not one of "auto", "cpu"/, 'tpu');
  squiggle('evaluate: {baselines: [random, oracle]}', /"oracle" is not one of "random", "human"/, 'oracle');
});

test('structure errors: empty cell, two stages, not a mapping, YAML syntax', () => {
  assert.match(parseStageCell('').diagnostics[0].message, /Empty stage cell/);
  assert.match(parseStageCell('# only a comment\n').diagnostics[0].message, /Empty stage cell/);
  squiggle('load: a.mp4\nembed: histogram', /One stage per cell/, 'embed');
  assert.match(parseStageCell('- load\n- embed').diagnostics[0].message, /A stage cell is `stage: options`/);
  const y = parseStageCell('summarize: {method: tt01');
  assert.ok(y.diagnostics.length > 0 && y.diagnostics.every((d) => d.message.startsWith('YAML:')));
});

test('every stage in the schema documents itself and every option', () => {
  for (const name of STAGE_NAMES) {
    const s = (STAGE_SCHEMA.properties as Record<string, SchemaNode>)[name];
    assert.ok(s.description && s.description.length > 10, name);
    assert.ok(s['x-shorthand'] && s.properties?.[s['x-shorthand']], `${name} shorthand names an option`);
    for (const [k, o] of Object.entries(s.properties ?? {}))
      assert.ok(o.description && o.description.length > 5, `${name}.${k}`);
  }
});

test('validate: anyOf picks the branch of the matching type; nested paths are reported', () => {
  const method = (STAGE_SCHEMA.properties.summarize.properties as Record<string, SchemaNode>).method;
  assert.deepEqual(validate(method, 'kts'), []);
  assert.deepEqual(validate(method, ['kmeans', 'tt02']), []);
  assert.deepEqual(
    validate(method, ['kmeans', 'x']).map((e) => e.path),
    [[1]],
  );
  assert.match(validate(method, 3)[0].message, /expected a string or a list of a string|one of/);
});

test('completion: stage names at the top, options inside a stage, values after an option', () => {
  assert.deepEqual(
    completionsAt('', 0).map((c) => c.label),
    STAGE_NAMES,
  );
  const opts = completionsAt('summarize:\n  ', 13).map((c) => c.label);
  assert.ok(opts.includes('method') && opts.includes('threshold') && opts.includes('export'));
  const flow = 'summarize: {method: tt01, ';
  const rest = completionsAt(flow, flow.length).map((c) => c.label);
  assert.ok(!rest.includes('method') && rest.includes('ratio'), 'options already used are not offered again');
  const v = 'summarize: {method: ';
  assert.deepEqual(
    completionsAt(v, v.length).map((c) => c.label),
    ['kmeans', 'tt01', 'tt02', 'kts'],
  );
  const ep = 'embed: {ep: ';
  assert.deepEqual(
    completionsAt(ep, ep.length).map((c) => c.label),
    ['auto', 'cpu', 'cuda', 'webgpu', 'dml', 'coreml'],
  );
  const sh = 'summarize: ';
  assert.deepEqual(
    completionsAt(sh, sh.length).map((c) => c.label),
    ['kmeans', 'tt01', 'tt02', 'kts'],
    'shorthand value',
  );
  for (const c of completionsAt('', 0)) assert.ok(c.documentation.includes(c.label));
});

test('hover: stage and option docs come from the schema', () => {
  const text = 'summarize: {method: tt01, threshold: 400}';
  const onStage = hoverAt(text, 3);
  assert.ok(onStage);
  assert.match(onStage.markdown, /^\*\*summarize\*\*/);
  assert.equal(text.slice(onStage.start, onStage.end), 'summarize');
  const onOpt = hoverAt(text, text.indexOf('threshold') + 2);
  assert.ok(onOpt);
  assert.match(onOpt.markdown, /SSD threshold/);
  assert.match(onOpt.markdown, /`small`, `average`, `large`/);
  assert.equal(hoverAt(text, text.indexOf('tt01') + 1), undefined, 'values have no hover');
});

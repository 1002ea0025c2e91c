/**
 * Malformed evaluation inputs through `vsum evaluate` (real CLI), and malformed notebooks through the .vsumnb
 * parser the serializer uses: truncated / wrong-magic / field-missing .mat, broken JSON submissions, a frame-count
 * mismatch between submission and ground truth. Each is a clear error naming the file and the field, and the CLI
 * evaluates the good inputs right after.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../../src/core/errors';
import { parseNotebook, serializeNotebook } from '../../src/notebook/format';
import { REPO, fixture } from '../helpers/fixtures';
import { assertCliError, assertNoChildren, cliBundle, isVsumError, runCli, workDir } from './_helpers';

const VIDEO = 'St Maarten Landing';
let dir: string;
let gt: string;
let example: Record<string, { summary: number[]; segment: number[] }>;
before(async () => {
  dir = workDir('bad files');
  gt = path.join(dir, 'GT');
  fs.mkdirSync(gt);
  fs.copyFileSync(fixture('derived', `${VIDEO}.mat`), path.join(gt, `${VIDEO}.mat`));
  example = JSON.parse(fs.readFileSync(fixture('real', 'rethinking-evs-example.json'), 'utf8'));
  await cliBundle();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function submission(name: string, content: unknown): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return f;
}

const entry = () => ({ summary: [...example[VIDEO].summary], segment: [...example[VIDEO].segment] });

async function evaluateOk(sub: string, gtDir = gt): Promise<{ stdout: string; stderr: string }> {
  const r = await runCli(['evaluate', '--gt', gtDir, '--submission', sub, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).videos[VIDEO].avg >= 0);
  return r;
}

for (const [name, file, patterns] of [
  ['truncated .mat', 'bad-truncated.mat', [/is cut short|truncated/, /get it again/]],
  ['wrong magic (a PNG named .mat)', 'bad-magic.mat', [/is not a MATLAB MAT-file/, /Give a SumMe GT \.mat file/]],
  ['.mat without user_score', 'bad-no-user-score.mat', [/has no field "user_score"/, /needs user_score/]],
] as const) {
  test(`ground truth: ${name} in the GT folder → error naming the file; the good folder evaluates after`, async () => {
    const bad = path.join(dir, `GT ${file}`);
    fs.mkdirSync(bad);
    fs.copyFileSync(path.join(gt, `${VIDEO}.mat`), path.join(bad, `${VIDEO}.mat`));
    fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'mat', file), path.join(bad, `Other video.mat`));
    const sub = submission('ok.json', { [VIDEO]: entry(), 'Other video': entry() });
    assertCliError(
      await runCli(['evaluate', '--gt', bad, '--submission', sub]),
      path.join(bad, 'Other video.mat'),
      ...patterns,
    );
    await evaluateOk(sub);
  });
}

const badSubmissions: Array<[string, () => unknown, Array<RegExp | string>]> = [
  [
    'not JSON (binary)',
    () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
    [/is not valid JSON/, /Expected a rethinking-evs submission/],
  ],
  ['truncated JSON', () => JSON.stringify({ [VIDEO]: entry() }).slice(0, 500), [/is not valid JSON/]],
  [
    'a summary value that is not 0/1',
    () => {
      const e = entry();
      e.summary[5] = 2;
      return { [VIDEO]: e };
    },
    [`video "${VIDEO}"`, /field "summary" must hold only 0 and 1, but frame 5 is 2/],
  ],
  [
    'an empty summary',
    () => ({ [VIDEO]: { summary: [], segment: [] } }),
    [`video "${VIDEO}"`, /field "summary" is empty/],
  ],
  [
    'a ground-truth video missing',
    () => ({ Jumps: entry() }),
    [/no entry for 1 ground-truth video: "St Maarten Landing"/, /must have a key for every video/],
  ],
  [
    'frame-count mismatch > 1 % (100 extra frames)',
    () => {
      const e = entry();
      e.summary.push(...new Array(100).fill(0));
      return { [VIDEO]: e };
    },
    [`video "${VIDEO}"`, /has 1851 frames but the ground truth has 1751/, /off by more than 1 %/],
  ],
];
for (const [name, make, patterns] of badSubmissions) {
  test(`submission: ${name} → error naming the file and field`, async () => {
    const f = submission(`sub ${name.replace(/[^a-z0-9]+/gi, '-')}.json`, make());
    assertCliError(await runCli(['evaluate', '--gt', gt, '--submission', f]), f, ...patterns);
  });
}

test('submission: a small frame-count mismatch (≤ 1 %) is fitted like the original notebooks and reported', async () => {
  const e = entry();
  e.summary.push(0, 0, 0, 0, 0);
  const r = await evaluateOk(submission('near.json', { [VIDEO]: e }));
  assert.match(r.stderr, /"St Maarten Landing": summary length 1756 → 1751 \(truncated/);
  await assertNoChildren();
});

test('.vsumnb: malformed and truncated notebooks are clear BAD_FILE errors; a good one round-trips', () => {
  const good = serializeNotebook({
    metadata: {},
    cells: [{ kind: 'stage', language: 'vsum', source: 'load: "a <b>.mp4"', outputs: [] }],
  });
  const text = new TextDecoder().decode(good);
  assert.equal(parseNotebook(good).cells[0].source, 'load: "a <b>.mp4"');
  const cases: Array<[string, string, RegExp]> = [
    ['truncated', text.slice(0, Math.floor(text.length / 2)), /not valid JSON/],
    ['not a notebook', '[1, 2, 3]', /top level must be a JSON object/],
    ['no version', '{"cells": []}', /"vsumNotebook" version field is missing/],
    ['newer version', '{"vsumNotebook": 99, "cells": []}', /written by a newer vsum/],
    ['cells not an array', '{"vsumNotebook": 2, "cells": {}}', /"cells" must be an array/],
    ['bad cell kind', '{"vsumNotebook": 2, "cells": [{"kind": "code", "source": ""}]}', /cell 1 has kind "code"/],
    [
      'bad base64 output',
      '{"vsumNotebook": 2, "cells": [{"kind": "stage", "source": "", "outputs": [{"items": [{"mime": "image/png", "base64": "<script>"}]}]}]}',
      /not base64/,
    ],
  ];
  for (const [name, body, pattern] of cases) {
    assert.throws(
      () => parseNotebook(new TextEncoder().encode(body)),
      (e: unknown) => {
        assert.ok(e instanceof VsumError && e.code === 'BAD_FILE', `${name}: ${e}`);
        assert.match(e.message, pattern, name);
        return isVsumError('BAD_FILE', /\.vsumnb notebook/)(e);
      },
      name,
    );
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { VsumError } from '../../../src/core/errors';
import { isEnvelope, packEnvelope, unpackEnvelope } from '../../../src/common/envelope';
import { MIME } from '../../../src/common/mime';
import { FORMAT_VERSION, parseNotebook, serializeNotebook, type RawNotebook } from '../../../src/notebook/format';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function sample(): RawNotebook {
  const video = new Uint8Array(5000).map((_, i) => (i * 7) & 255);
  return {
    metadata: { zeta: 1, alpha: { b: 2, a: 1 } },
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# Title\n\ntext', outputs: [] },
      {
        kind: 'stage',
        language: 'vsum',
        source: 'summarize: {method: tt01, threshold: 400}',
        metadata: { tags: ['x'] },
        execution: { order: 3, success: true, startTime: 1000, endTime: 2500 },
        outputs: [
          {
            metadata: { vsumKind: 'summary-player' },
            items: [
              {
                mime: MIME.summaryPlayer,
                data: packEnvelope({ title: 'Summary', sourceName: 'videos/a.mp4' }, [
                  { mime: 'video/mp4', bytes: video },
                ]),
              },
              { mime: 'text/markdown', data: enc('**Summary** of a.mp4') },
            ],
          },
          {
            items: [
              {
                mime: MIME.scorePlot,
                data: enc(JSON.stringify({ kind: 'score-plot', series: [{ name: 'SSD', y: [null, 1.5, 2] }] })),
              },
            ],
          },
          { items: [{ mime: 'image/png', data: new Uint8Array([137, 80, 78, 71, 0, 1, 2, 255]) }] },
        ],
      },
    ],
  };
}

test('round trip keeps cells, outputs (text and binary), metadata and execution summary', () => {
  const nb = sample();
  const bytes = serializeNotebook(nb);
  const back = parseNotebook(bytes);
  assert.equal(back.cells.length, 2);
  assert.equal(back.cells[0].kind, 'markdown');
  assert.equal(back.cells[0].source, '# Title\n\ntext');
  const c = back.cells[1];
  assert.equal(c.source, nb.cells[1].source);
  assert.deepEqual(c.execution, { order: 3, success: true, startTime: 1000, endTime: 2500 });
  assert.deepEqual(c.metadata, { tags: ['x'] });
  assert.equal(c.outputs.length, 3);
  assert.deepEqual(c.outputs[0].metadata, { vsumKind: 'summary-player' });
  const env = unpackEnvelope<{ title: string }>(c.outputs[0].items[0].data);
  assert.equal(env.meta.title, 'Summary');
  assert.deepEqual([...env.blobs[0].bytes], [...unpackEnvelope(nb.cells[1].outputs[0].items[0].data).blobs[0].bytes]);
  assert.equal(dec(c.outputs[0].items[1].data), '**Summary** of a.mp4');
  assert.deepEqual(JSON.parse(dec(c.outputs[1].items[0].data)).series[0].y, [null, 1.5, 2]);
  assert.deepEqual([...c.outputs[2].items[0].data], [137, 80, 78, 71, 0, 1, 2, 255]);
  // A second save of what was read is byte-identical (stable).
  assert.equal(dec(serializeNotebook(back)), dec(bytes));
});

test('file layout: version first, sorted metadata keys, text items as strings, binary as base64', () => {
  const text = dec(serializeNotebook(sample()));
  const json = JSON.parse(text);
  assert.deepEqual(Object.keys(json), ['vsumNotebook', 'metadata', 'cells']);
  assert.equal(json.vsumNotebook, FORMAT_VERSION);
  assert.deepEqual(Object.keys(json.metadata), ['alpha', 'zeta']);
  assert.deepEqual(Object.keys(json.metadata.alpha), ['a', 'b']);
  const items = json.cells[1].outputs.flatMap((o: { items: unknown[] }) => o.items);
  assert.equal(typeof items[1].text, 'string');
  assert.equal(typeof items[0].base64, 'string');
  assert.equal(typeof items[3].base64, 'string');
  assert.ok(!('outputs' in json.cells[0]), 'markdown cells carry no outputs key');
});

test("the author's home folder is replaced by ~ in text outputs and envelope metadata", () => {
  const home = os.homedir();
  const nb = sample();
  nb.cells[1].outputs.push({ items: [{ mime: 'text/markdown', data: enc(`wrote ${home}/videos/a.summary.mp4`) }] });
  nb.cells[1].outputs[0].items[0].data = packEnvelope({ sourceName: `${home}/videos/a.mp4` }, [
    { mime: 'video/mp4', bytes: new Uint8Array([1, 2, 3]) },
  ]);
  const text = dec(serializeNotebook(nb));
  assert.ok(!text.includes(home), 'no absolute home path in the file');
  const back = parseNotebook(enc(text));
  assert.equal(dec(back.cells[1].outputs[3].items[0].data), 'wrote ~/videos/a.summary.mp4');
  const env = unpackEnvelope<{ sourceName: string }>(back.cells[1].outputs[0].items[0].data);
  assert.equal(env.meta.sourceName, '~/videos/a.mp4');
  assert.deepEqual([...env.blobs[0].bytes], [1, 2, 3]);
});

test('an empty file is an empty notebook', () => {
  assert.deepEqual(parseNotebook(new Uint8Array()), { metadata: {}, cells: [] });
  assert.deepEqual(parseNotebook(enc('  \n')), { metadata: {}, cells: [] });
});

test('version 1 files (line arrays, no outputs) are read and saved as the current version', () => {
  const v1 = {
    vsumNotebook: 1,
    cells: [
      { type: 'markdown', source: ['# Old', 'notebook'] },
      { type: 'stage', source: ['load: a.mp4'] },
    ],
  };
  const nb = parseNotebook(enc(JSON.stringify(v1)));
  assert.equal(nb.cells.length, 2);
  assert.equal(nb.cells[0].source, '# Old\nnotebook');
  assert.equal(nb.cells[1].kind, 'stage');
  assert.equal(nb.cells[1].language, 'vsum');
  assert.equal(nb.cells[1].source, 'load: a.mp4');
  const saved = JSON.parse(dec(serializeNotebook(nb)));
  assert.equal(saved.vsumNotebook, FORMAT_VERSION);
  assert.equal(saved.cells[1].source, 'load: a.mp4');
});

const malformed: Array<[string, string, RegExp]> = [
  ['not JSON', '{ "vsumNotebook": 2, "cells": [ }', /not valid JSON/],
  ['an array', '[1, 2]', /top level must be a JSON object/],
  ['no version', '{"cells": []}', /"vsumNotebook" version field is missing/],
  ['bad version', '{"vsumNotebook": "two", "cells": []}', /positive integer version/],
  ['cells not an array', '{"vsumNotebook": 2, "cells": {}}', /"cells" must be an array/],
  ['bad cell kind', '{"vsumNotebook": 2, "cells": [{"kind": "code", "source": ""}]}', /cell 1 has kind "code"/],
  ['missing source', '{"vsumNotebook": 2, "cells": [{"kind": "stage"}]}', /cell 1 has no "source" string/],
  [
    'item without data',
    '{"vsumNotebook": 2, "cells": [{"kind": "stage", "source": "", "outputs": [{"items": [{"mime": "text/plain"}]}]}]}',
    /cell 1, output 1, item 1 \("text\/plain"\) has neither "text" nor "base64"/,
  ],
  [
    'bad base64',
    '{"vsumNotebook": 2, "cells": [{"kind": "stage", "source": "", "outputs": [{"items": [{"mime": "image/png", "base64": "%%%"}]}]}]}',
    /not base64/,
  ],
];

for (const [what, text, re] of malformed) {
  test(`malformed file (${what}) → a VsumError that says what is wrong and how to fix it`, () => {
    assert.throws(
      () => parseNotebook(enc(text)),
      (e: unknown) => {
        assert.ok(e instanceof VsumError);
        assert.equal(e.code, 'BAD_FILE');
        assert.match(e.message, re);
        assert.match(e.message, /Text Editor|newer vsum/);
        return true;
      },
    );
  });
}

test('a file from a newer vsum says to update', () => {
  assert.throws(
    () => parseNotebook(enc(JSON.stringify({ vsumNotebook: FORMAT_VERSION + 1, cells: [] }))),
    /newer vsum .*Update the vsum extension/,
  );
});

test('envelope: pack/unpack, truncation and bad magic are detected', () => {
  const bytes = packEnvelope({ a: '<script>' }, [
    { mime: 'x/y', bytes: new Uint8Array([9, 8]) },
    { mime: 'z', bytes: new Uint8Array(0) },
  ]);
  assert.ok(isEnvelope(bytes));
  const env = unpackEnvelope<{ a: string }>(bytes);
  assert.equal(env.meta.a, '<script>');
  assert.deepEqual(
    env.blobs.map((b) => [b.mime, [...b.bytes]]),
    [
      ['x/y', [9, 8]],
      ['z', []],
    ],
  );
  assert.throws(() => unpackEnvelope(bytes.subarray(0, bytes.length - 1)), /truncated/);
  assert.throws(() => unpackEnvelope(enc('{"json": true}')), /bad magic/);
});

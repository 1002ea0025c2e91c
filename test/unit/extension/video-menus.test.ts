/** The Summarize Video and New Notebook menus offer the command on exactly the files vsum reads as videos. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { VIDEO_EXTENSIONS } from '../../../src/core/video/types';

const REPO = path.resolve(__dirname, '..', '..', '..');

test('every Summarize Video menu matches VIDEO_EXTENSIONS, no more and no fewer', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
  };
  const entries = Object.entries(pkg.contributes.menus).flatMap(([menu, items]) =>
    items
      .filter((i) => i.command === 'vsum.summarizeVideo' || i.command === 'vsum.newNotebook')
      .map((i) => ({ menu, when: i.when ?? '' })),
  );
  assert.ok(entries.length >= 3, 'explorer, editor title and its context menu');
  for (const { menu, when } of entries) {
    const m = /resourceExtname =~ \/(.+)\/i/.exec(when);
    assert.ok(m, `${menu}: the when clause tests the extension (${when})`);
    const re = new RegExp(m[1].replace(/\\\\/g, '\\'), 'i');
    for (const ext of VIDEO_EXTENSIONS) assert.ok(re.test(ext), `${menu} offers Summarize Video on ${ext}`);
    for (const ext of ['.txt', '.vsumnb', '.png', '.mp3', '.mp4.part'])
      assert.ok(!re.test(ext), `${menu} does not offer it on ${ext}`);
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError, numberOption, parseMethods, parseSeed } from '../../../src/cli/flags';
import { main } from '../../../src/cli/main';

test('numberOption takes plain decimals only: hex, binary, Infinity and blanks are refused with the flag named', () => {
  assert.equal(numberOption('--ratio', '0.15'), 0.15);
  assert.equal(numberOption('--ratio', '.5'), 0.5);
  assert.equal(numberOption('--vmax', '1e-3'), 0.001);
  assert.equal(numberOption('--x', '-2'), -2);
  for (const bad of ['0x1', '0b1', '0o7', 'Infinity', '', ' 1', '1 ', '1,5', 'NaN', '1e', '--1']) {
    assert.throws(
      () => numberOption('--ratio', bad),
      (e: unknown) => e instanceof UsageError && /--ratio must be a decimal number/.test(e.message),
      bad,
    );
  }
  assert.throws(() => parseSeed('1.5'), /--seed must be a whole number/);
  assert.throws(() => parseSeed('4294967296'), /--seed must be ≤ 4294967295/);
  assert.deepEqual(parseMethods('kmeans, tt01,kmeans'), ['kmeans', 'tt01']);
  assert.throws(() => parseMethods(','), /at least one method/);
});

test('vsum refuses --ratio 0x1 with exit code 2 and a message naming the flag', async () => {
  const err: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((c: string) => (err.push(String(c)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['summarize', 'missing.mp4', '--ratio', '0x1']);
  } finally {
    process.stderr.write = write;
  }
  assert.equal(code, 2);
  assert.match(err.join(''), /--ratio must be a decimal number, got "0x1"/);
});

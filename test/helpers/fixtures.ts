import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

/** `../shared/fixtures` beside the checkout (CI lays it there); VSUM_FIXTURES overrides. */
export const FIXTURES = process.env.VSUM_FIXTURES ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');
export const REPO = path.resolve(__dirname, '..', '..');
/** Python reference implementations (test-time only): test/reference/. */
export const REFERENCE_DIR = path.join(REPO, 'test', 'reference');

export function fixture(...parts: string[]): string {
  const p = path.join(FIXTURES, ...parts);
  if (!fs.existsSync(p))
    throw new Error(`fixture missing: ${p} (expected ../shared/fixtures beside the checkout, or set VSUM_FIXTURES)`);
  return p;
}

/** A fresh temp dir removed after the test run (node:test `after`). */
export function tempDir(prefix = 'vsum-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// The workspace folder the host opens: a temp dir with a copy of the bundled sample video and the notebook the
// UI checks run (test/host/ui-checks.vsumnb).
import fs from 'node:fs';
import path from 'node:path';

export const UI_NOTEBOOK = 'ui-checks.vsumnb';

export function prepareWorkspace(repo, dir) {
  fs.cpSync(path.join(repo, 'media', 'sample'), dir, { recursive: true });
  const nb = process.env.VSUM_HOST_UI_NOTEBOOK || path.join(repo, 'test', 'host', UI_NOTEBOOK);
  if (fs.existsSync(nb)) fs.copyFileSync(nb, path.join(dir, UI_NOTEBOOK));
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644); // fixtures are read-only in the repo
  return dir;
}

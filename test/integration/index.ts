// The in-host test entry (the `extensionTestsPath` module that @vscode/test-electron and our code-server
// launcher hand to VS Code): VS Code loads this bundle inside the extension host and awaits `run()`.
// esbuild bundles it and every suite file test/integration/*.test.ts to dist/test/integration/; this entry hands
// those bundles to mocha (tdd ui: suite/test/suiteSetup).
//
// Environment (read inside the extension host, so set it on the code-server process or in extensionTestsEnv):
//   VSUM_MOCHA_LOG     file that mirrors the reporter's output (the launchers print it; the host's own console is
//                      not visible to them)
//   VSUM_MOCHA_RESULT  file that receives {passes, failures, pending, tests} as JSON when the run ends
//   VSUM_TEST_GREP     only run tests whose full title matches this regular expression
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import Mocha from 'mocha';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  error?: string;
}

export function run(): Promise<void> {
  const logFile = process.env.VSUM_MOCHA_LOG;
  const resultFile = process.env.VSUM_MOCHA_RESULT;
  if (logFile) {
    fs.writeFileSync(logFile, '');
    // The spec reporter prints through Base.consoleLog; mirror it to the log file.
    const base = Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void };
    const original = base.consoleLog;
    base.consoleLog = (...a: unknown[]) => {
      fs.appendFileSync(logFile, util.format(...a) + '\n');
      original(...a);
    };
  }

  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, slow: 10_000, color: false, reporter: 'spec' });
  if (process.env.VSUM_TEST_GREP) mocha.grep(new RegExp(process.env.VSUM_TEST_GREP));
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0)
    return Promise.reject(new Error(`no suite bundles (*.test.js) in ${__dirname}: run "node esbuild.mjs"`));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const records: TestRecord[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultFile) {
        const count = (s: TestRecord['state']) => records.filter((r) => r.state === s).length;
        const summary = {
          passes: count('passed'),
          failures: count('failed'),
          pending: count('pending'),
          files,
          tests: records,
        };
        fs.writeFileSync(resultFile, JSON.stringify(summary, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => records.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err: Error) =>
      records.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }),
    );
    runner.on('pending', (t) => records.push({ title: t.fullTitle(), state: 'pending' }));
  });
}

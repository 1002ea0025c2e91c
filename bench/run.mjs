// `npm run bench`: runs every bench row (bench/rows/<id>.ts, each in its own node process through tsx), then writes
// bench/results.json and bench/RESULTS.md and prints the table. A row whose component has not landed reports
// "pending: <why>" instead of failing the bench. Inputs are generated deterministically under bench/tmp/.
// Usage: node bench/run.mjs [row ids…]   (env BENCH_REPEATS=n overrides the repeat counts)
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const tmp = process.env.BENCH_TMP ?? path.join(here, 'tmp'); // generated inputs (a fresh folder = a fresh-clone run)
// Order = the issue's table. Timeouts keep one stuck row from eating the 15-minute budget.
// [id, row file, args, timeout s, opt-in]. `embed-full`, `embed-vs-torch`, `embed-variants` (the real-size random-weight
// model: ~1 min to generate, ~2 s a clip on an idle 2-core CPU) run only when named or with BENCH_FULL=1, so the
// default run stays under 15 minutes.
const ROWS = [
  ['decode', 'decode', [], 240],
  ['embed', 'embed', ['tiny'], 300],
  ['embed-full', 'embed', ['full'], 1200, true],
  ['embed-vs-torch', 'embed-vs-torch', [], 1200, true],
  ['embed-variants', 'embed-variants', [], 2400, true],
  ['kts', 'kts', [], 120],
  ['kts-long', 'kts-long', [], 900],
  ['kmeans', 'kmeans', [], 180],
  ['evaluate', 'evaluate', [], 120],
  ['random-baseline', 'random-baseline', [], 240],
  ['rollout', 'rollout', [], 180],
  ['memory', 'memory', [], 2400],
  ['activation', 'activation', [], 90],
  ['host-responsiveness', 'host-responsiveness', [], 1500],
];
const only = process.argv.slice(2);
const rows = only.length
  ? ROWS.filter(([id]) => only.includes(id))
  : ROWS.filter((r) => !r[4] || process.env.BENCH_FULL === '1');
const skippedOptIn = only.length ? [] : ROWS.filter((r) => r[4] && process.env.BENCH_FULL !== '1').map((r) => r[0]);

function gpu() {
  try {
    return (
      execFileSync('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .trim()
        .split('\n')
        .join('; ') || 'none'
    );
  } catch {
    return 'none (no nvidia-smi)';
  }
}

const machine = {
  cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
  cores: os.cpus().length,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  gpu: gpu(),
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  loadAtStart: os.loadavg().map((x) => +x.toFixed(2)),
};

function runRow(id, file, args, timeoutS) {
  return new Promise((resolve) => {
    const out = path.join(tmp, 'results', `${id}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.rmSync(out, { force: true });
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'rows', `${file}.ts`), ...args], {
      cwd: repo,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, BENCH_RESULT: out, BENCH_TMP: tmp },
      detached: true, // own process group: a timeout kills the row and everything it started
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wall = (Date.now() - t0) / 1000;
      let r;
      try {
        r = JSON.parse(fs.readFileSync(out, 'utf8'));
      } catch {
        r = {
          id,
          title: id,
          status: 'error',
          reason:
            signal === 'SIGKILL'
              ? `timed out after ${timeoutS} s`
              : `row process exited ${code ?? signal} without a result`,
          checks: [],
          figures: {},
          notes: [],
        };
      }
      r.wallSeconds = wall;
      resolve(r);
    });
  });
}

const fmtS = (s) =>
  s === undefined
    ? '—'
    : s >= 1
      ? `${s.toFixed(2)} s`
      : s >= 1e-3
        ? `${(s * 1e3).toFixed(1)} ms`
        : `${(s * 1e6).toFixed(0)} µs`;
const fmtT = (t) => (t ? `${fmtS(t.median)} (${fmtS(t.min)}–${fmtS(t.max)}, n=${t.runs})` : '—');
const fmtX = (x) => `${x < 0.01 ? x.toExponential(1) : x.toFixed(x < 0.1 ? 3 : 2)}×`;
const fmtRatio = (r) =>
  r.ratio === undefined ? '—' : `${fmtX(r.ratio)} ${r.ratioKind === 'rate' ? '(rate)' : '(time)'}`;
/** The same ratio from each side's fastest run: less sensitive to other load on a shared machine. */
const bestRatio = (r) =>
  r.ours && r.baseline
    ? r.ratioKind === 'rate'
      ? r.baseline.min / r.ours.min
      : r.ours.min / r.baseline.min
    : undefined;
const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(results, date, total) {
  const L = [];
  L.push('# vsum benchmarks');
  L.push('');
  L.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB RAM, GPU: ${machine.gpu}; ${machine.os}; Node ${machine.node}.`,
  );
  if (only.length) L.push(`Partial run of ${only.join(', ')}; the other rows are from earlier runs (marked).`);
  L.push(
    `Date: ${date}. ${only.length ? 'This partial run' : 'Whole run'}: ${(total / 60).toFixed(1)} min. Command: \`npm run bench\`. Load average (1/5/15 min) at start: ${machine.loadAtStart.join(' / ')}, at end: ${machine.loadAtEnd?.join(' / ') ?? '?'} — a loaded machine makes every time noisier, ours and the baseline's alike.`,
  );
  L.push('');
  L.push(
    'Times are the median of the repeats, with min–max and the number of runs; ours and the baseline run alternately in the same run on the same generated input. Ratio "(time)" = our time / baseline time (lower is better); "(rate)" = our throughput / baseline throughput (higher is better); goals are judged on the medians. "best runs" is the same ratio from the fastest run of each side, which other load on the machine disturbs least.',
  );
  L.push('');
  L.push('| row | input | ours | baseline | ratio | goal | met |');
  L.push('|---|---|---|---|---|---|---|');
  for (const r of results) {
    if (r.status !== 'ok') {
      L.push(
        `| ${esc(r.title ?? r.id)} | ${esc(r.input ?? '')} | ${r.status}: ${esc((r.reason ?? '').split('\n')[0])} | | | ${esc(r.goal ?? '')} | — |`,
      );
      continue;
    }
    const rate = r.rate ? `<br>${r.rate.ours.toFixed(1)} ${r.rate.unit}` : '';
    const brate = r.rate?.baseline !== undefined ? `<br>${r.rate.baseline.toFixed(1)} ${r.rate.unit}` : '';
    const figs = Object.entries(r.figures ?? {})
      .filter(([k]) => !['frames', 'ffmpeg'].includes(k))
      .map(([k, v]) => `${k}: ${typeof v === 'number' ? +v.toPrecision(4) : v}`);
    const ours = `${r.ours ? `${r.ours.label}: ${fmtT(r.ours)}` : ''}${rate}${figs.length ? `<br>${figs.join('<br>')}` : ''}`;
    const base = r.baseline ? `${r.baseline.label}: ${fmtT(r.baseline)}${brate}` : '—';
    const checks = (r.checks ?? []).map((c) => `${c.ok ? '✓' : '✗'} ${c.name}`).join('<br>');
    L.push(
      `| ${esc(r.title)}${r.fromEarlierRun ? ' (earlier run)' : ''} | ${esc(r.input)} | ${esc(ours)} | ${esc(base)} | ${fmtRatio(r)}${bestRatio(r) !== undefined ? `<br>best runs: ${fmtX(bestRatio(r))}` : ''} | ${esc(r.goal)}${checks ? `<br>${esc(checks)}` : ''} | ${r.goalMet === undefined ? '—' : r.goalMet ? 'yes' : '**no**'} |`,
    );
  }
  const missed = results.filter((r) => r.status !== 'ok' || r.goalMet === false);
  L.push('');
  L.push('## Missed goals');
  L.push('');
  if (missed.length === 0) L.push('None: every row ran and met its goal.');
  for (const r of missed) {
    if (r.status !== 'ok') {
      L.push(
        `- **${r.title ?? r.id}** did not run (${r.status}): ${(r.reason ?? '').split('\n')[0]}. Next: ${r.status === 'pending' ? 'land the component, then rerun `npm run bench`' : 'fix the error above and rerun `npm run bench ' + r.id + '`'}.`,
      );
    } else {
      L.push(
        `- **${r.title}**: goal ${r.goal}, measured ${fmtRatio(r)}${
          r.checks?.some((c) => !c.ok)
            ? `; failed checks: ${r.checks
                .filter((c) => !c.ok)
                .map((c) => `${c.name} (${c.detail})`)
                .join(', ')}`
            : ''
        }. Why: ${r.missed?.reason ?? 'not analysed'}. Next: ${r.missed?.next ?? '—'}.`,
      );
    }
  }
  if (skippedOptIn.length) {
    L.push('');
    L.push(
      `Not run by default (opt-in, \`BENCH_FULL=1 npm run bench\` or \`node bench/run.mjs ${skippedOptIn.join(' ')}\`): ${skippedOptIn.join(', ')} — the full-size random-weight TimeSformer takes about a minute to generate and ~12 s per clip on 2 CPU cores.`,
    );
  }
  const notes = results.filter((r) => r.notes?.length);
  if (notes.length) {
    L.push('');
    L.push('## Notes');
    L.push('');
    for (const r of notes) for (const n of r.notes) L.push(`- ${r.title}: ${n}`);
  }
  return L.join('\n') + '\n';
}

const t0 = Date.now();
const results = [];
for (const [id, file, args, timeoutS] of rows) {
  process.stdout.write(`\n[bench] ${id} …\n`);
  const r = await runRow(id, file, args, timeoutS);
  results.push(r);
  process.stdout.write(
    `[bench] ${id}: ${r.status}${r.status === 'ok' ? ` ratio ${fmtRatio(r)} goal ${r.goalMet ? 'met' : 'MISSED'}` : ` — ${(r.reason ?? '').split('\n')[0]}`} (${r.wallSeconds.toFixed(1)} s)\n`,
  );
}
const total = (Date.now() - t0) / 1000;
machine.loadAtEnd = os.loadavg().map((x) => +x.toFixed(2));
const date = new Date().toISOString();
for (const r of results) r.date = date;
// A partial run (row ids given) updates those rows in the saved results and keeps the others.
let merged = results;
const jsonPath = path.join(here, 'results.json');
// Opt-in rows not run this time keep their last measurement (marked as from an earlier run).
if (!only.length && skippedOptIn.length && fs.existsSync(jsonPath)) {
  try {
    const prev = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    merged = ROWS.map(
      ([id]) =>
        results.find((r) => r.id === id) ??
        (skippedOptIn.includes(id) ? prev.rows?.find((r) => r.id === id && r.status === 'ok') : undefined),
    ).filter(Boolean);
    for (const r of merged)
      if (!results.includes(r)) {
        r.fromEarlierRun = true;
        r.notes = [
          ...(r.notes ?? []).filter((n) => !n.startsWith('measured in an earlier run')),
          `measured in an earlier run (${r.date ?? prev.date}); rerun with \`node bench/run.mjs ${r.id}\`.`,
        ];
        r.date ??= prev.date;
      }
  } catch {
    /* unreadable: this run only */
  }
}
if (only.length && fs.existsSync(jsonPath)) {
  try {
    const prev = JSON.parse(fs.readFileSync(jsonPath, 'utf8')).rows ?? [];
    merged = ROWS.map(([id]) => results.find((r) => r.id === id) ?? prev.find((r) => r.id === id)).filter(Boolean);
    for (const r of merged) if (!results.includes(r)) r.fromEarlierRun = true;
  } catch {
    /* unreadable: write only this run */
  }
}
const md = markdown(merged, date, total);
fs.writeFileSync(jsonPath, JSON.stringify({ date, machine, totalSeconds: total, rows: merged }, null, 2) + '\n');
fs.writeFileSync(path.join(here, 'RESULTS.md'), md);
process.stdout.write('\n' + md);

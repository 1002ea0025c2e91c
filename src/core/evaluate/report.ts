/**
 * One result object → the three report forms: a markdown table like rethinking-evs prints (video | min | avg |
 * max, ×100 with 2 decimals, then "Avg."), CSV (full precision, 0–1) and JSON (the EvaluationResult itself).
 */
import type { EvaluationProtocol, EvaluationResult, HumanBoundResult, RandomBaselineResult } from './types';

/** Python's '%.Nf': correctly rounded, exact ties to even (JS toFixed rounds exact ties away from zero). */
export function pyFixed(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const s = x.toFixed(digits);
  const long = x.toFixed(digits + 25); // exact decimal digits of the double
  const tail = long.slice(long.length - 25);
  if (/^50*$/.test(tail) && (s.charCodeAt(s.length - 1) - 48) % 2 === 1) return long.slice(0, long.length - 25);
  return s;
}

function hasCorrelation(r: EvaluationResult): boolean {
  return r.mean.kendall !== undefined;
}

/** Markdown table; F ×100 with 2 decimals, TVSum correlations with 3; then the protocol when given. */
export function markdownTable(r: EvaluationResult, protocol?: EvaluationProtocol): string {
  const corr = hasCorrelation(r);
  const head = ['video', 'min', 'avg', 'max', ...(corr ? ['kendall', 'spearman'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  const row = (name: string, v: { min: number; avg: number; max: number; kendall?: number; spearman?: number }) =>
    `| ${name.replace(/\|/g, '\\|')} | ${pyFixed(v.min * 100)} | ${pyFixed(v.avg * 100)} | ${pyFixed(v.max * 100)} |${corr ? ` ${pyFixed(v.kendall ?? NaN, 3)} | ${pyFixed(v.spearman ?? NaN, 3)} |` : ''}`;
  for (const [name, v] of Object.entries(r.videos)) lines.push(row(v.videoName ? `${name} (${v.videoName})` : name, v));
  lines.push(row('Avg.', r.mean));
  const extra = [describe(r), protocolText(protocol)].filter(Boolean).join('\n\n');
  return lines.join('\n') + '\n' + (extra ? `\n${extra}\n` : '');
}

/** The protocol lines printed under a table. */
export function protocolText(p: EvaluationProtocol | undefined): string {
  if (!p) return '';
  const lines = [
    `Protocol: ${p.name}.`,
    `- reduction: ${p.reduction}`,
    `- budget: ${p.budget}`,
    `- segmentation: ${p.segmentation}`,
    `- score rounding: ${p.scoreRounding}`,
  ];
  if (p.correlation) lines.push(`- rank correlation: ${p.correlation}`);
  return lines.join('\n');
}

function describe(r: EvaluationResult): string {
  const kind = (r as { baseline?: string }).baseline;
  if (kind === 'random') {
    const b = r as RandomBaselineResult;
    return `Random summaries, ${b.segmentation} segments, ${b.runs} runs (seed ${b.seed}): mean over runs; spread (std over runs) min ${pyFixed(b.spread.min * 100)}, avg ${pyFixed(b.spread.avg * 100)}, max ${pyFixed(b.spread.max * 100)}.`;
  }
  if (kind === 'human')
    return `Human leave-one-out bound, ${(r as HumanBoundResult).reduce} over the other users: worst / average / best user.`;
  return '';
}

/** CSV: one row per video then "Avg.", values 0–1 at full precision. */
export function csvTable(r: EvaluationResult): string {
  const vids = Object.values(r.videos);
  const cols = (['min', 'avg', 'max', 'gygliMean', 'gygliMax', 'kendall', 'spearman'] as const).filter((c) =>
    vids.some((v) => v[c] !== undefined),
  );
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const num = (x: number | undefined) => (x === undefined ? '' : String(x));
  const lines = [['video', ...cols].join(',')];
  for (const [name, v] of Object.entries(r.videos)) lines.push([q(name), ...cols.map((c) => num(v[c]))].join(','));
  lines.push(['Avg.', ...cols.map((c) => num((r.mean as unknown as Record<string, number | undefined>)[c]))].join(','));
  return lines.join('\n') + '\n';
}

/** The JSON the CLI prints (NaN → null). */
export function jsonReport(r: EvaluationResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}

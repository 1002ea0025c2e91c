/**
 * Output builders: payload → output items (custom mime first, then a plain fallback so a notebook viewed without
 * vsum still shows something). Plain data, no vscode: the controller turns these into NotebookCellOutputs.
 * Videos and thumbnails are files referred to by a path relative to the notebook (a notebook stays small, and a
 * same-seed re-run leaves its outputs unchanged); the attention view's few frames still travel in an envelope.
 */
import { packEnvelope, type Blob0 } from '../common/envelope';
import { MIME } from '../common/mime';
import type {
  AttentionMeta,
  EvaluationPayload,
  FrameStripMeta,
  ProgressPayload,
  ScorePlotPayload,
  SummaryPlayerMeta,
} from '../common/payloads';

export interface OutputItemSpec {
  mime: string;
  data: Uint8Array;
}

export interface OutputSpec {
  items: OutputItemSpec[];
  metadata?: Record<string, unknown>;
}

const enc = new TextEncoder();
const text = (mime: string, s: string): OutputItemSpec => ({ mime, data: enc.encode(s) });
const json = (mime: string, v: unknown): OutputItemSpec => text(mime, JSON.stringify(v));

/** Escape text from files (names, paths) for markdown: no HTML, no markdown syntax. */
export function mdEscape(s: string): string {
  return String(s)
    .replace(/[\\`*_{}[\]()#+!|<>&~]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  const m = Math.floor(s / 60);
  const r = s - m * 60;
  return m > 0 ? `${m}:${r.toFixed(2).padStart(5, '0')}` : `${r.toFixed(2)} s`;
}

/**
 * The one place a run's timing goes in an output without a JSON item of its own: the output's `timing` metadata,
 * apart from the content, so a same-seed re-run changes nothing else (issue 16; test/unit/notebook/rerun-identical).
 */
export function withTiming(o: OutputSpec, timing: Record<string, number>): OutputSpec {
  return { ...o, metadata: { ...o.metadata, timing } };
}

export function markdownOutput(md: string): OutputSpec {
  return { items: [text('text/markdown', md)] };
}

/** Frame strip: JSON referring to the thumbnail pack file (`meta.pack`); a markdown list of the frames as fallback. */
export function frameStripOutput(meta: FrameStripMeta): OutputSpec {
  const sel = meta.thumbs.filter((t) => t.selected).length;
  const md =
    `**${mdEscape(meta.title)}** — ${meta.thumbs.length} frames of ${mdEscape(meta.video)} (${sel} selected): ` +
    meta.thumbs
      .map((t) => `${t.selected ? '**' : ''}#${t.frame} @ ${t.time.toFixed(2)} s${t.selected ? '**' : ''}`)
      .join(', ');
  return { items: [json(MIME.frameStripRef, meta), text('text/markdown', md)], metadata: { vsumKind: 'frame-strip' } };
}

export function scorePlotOutput(p: ScorePlotPayload): OutputSpec {
  const kept = p.selection.filter((v) => v > 0).length;
  const md = `**${mdEscape(p.title)}** — ${p.nClips} clips, ${p.boundaries.length} segment boundaries${p.threshold !== undefined ? `, threshold ${p.threshold}` : ''}, ${kept} clips with selected frames. Series: ${p.series.map((s) => mdEscape(s.name)).join(', ')}.`;
  return { items: [json(MIME.scorePlot, p), text('text/markdown', md)], metadata: { vsumKind: 'score-plot' } };
}

/**
 * Summary player: JSON referring to the summary and source videos by path, with a small poster; the timing in
 * its own field, so a same-seed re-run changes nothing else. Fallback: the fields and a link to the file.
 */
export function summaryPlayerOutput(meta: SummaryPlayerMeta): OutputSpec {
  const url = (p: string) => encodeURI(p).replace(/\(/g, '%28').replace(/\)/g, '%29');
  const link = meta.summaryFile
    ? `[${mdEscape(meta.summaryName)}](${url(meta.summaryFile.path)})`
    : mdEscape(meta.summaryName);
  const md = [
    `**${mdEscape(meta.title)}** (${mdEscape(meta.method)}) → ${link}`,
    '',
    '| input duration | output duration | fps | resolution | frames |',
    '|---|---|---|---|---|',
    `| ${fmtSeconds(meta.inputDuration)} | ${fmtSeconds(meta.outputDuration)} | ${meta.fps.toFixed(2)} | ${meta.width}×${meta.height} | ${meta.selectedFrames} / ${meta.totalFrames} |`,
  ].join('\n');
  return {
    items: [json(MIME.summaryPlayerRef, meta), text('text/markdown', md)],
    metadata: { vsumKind: 'summary-player' },
  };
}

/** The mime type of a video file by its extension (what a <video> element is told). */
export function videoMime(name: string): string {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'webm'
    ? 'video/webm'
    : ext === 'mov'
      ? 'video/quicktime'
      : ext === 'mkv'
        ? 'video/x-matroska'
        : 'video/mp4';
}

export function attentionOutput(
  meta: AttentionMeta,
  frames: Blob0[],
  spaceTime: Float32Array,
  spaceOnly?: Float32Array,
  tilePng?: Uint8Array,
): OutputSpec {
  const blobs: Blob0[] = [...frames];
  const m: AttentionMeta = {
    ...meta,
    frameBlobs: frames.map((_, i) => i),
    spaceTimeBlob: blobs.length,
    spaceOnlyBlob: -1,
  };
  blobs.push({
    mime: 'application/x-float32',
    bytes: new Uint8Array(spaceTime.buffer, spaceTime.byteOffset, spaceTime.byteLength),
  });
  if (spaceOnly) {
    m.spaceOnlyBlob = blobs.length;
    blobs.push({
      mime: 'application/x-float32',
      bytes: new Uint8Array(spaceOnly.buffer, spaceOnly.byteOffset, spaceOnly.byteLength),
    });
  }
  const items: OutputItemSpec[] = [{ mime: MIME.attention, data: packEnvelope(m, blobs) }];
  if (tilePng) items.push({ mime: 'image/png', data: tilePng });
  else
    items.push(
      text(
        'text/markdown',
        `**${mdEscape(meta.title)}** — attention rollout of clip ${meta.clip} (frames ${meta.frames[0]}…${meta.frames[meta.frames.length - 1]}) of ${mdEscape(meta.video)}.`,
      ),
    );
  return { items, metadata: { vsumKind: 'attention' } };
}

export function evaluationOutput(p: EvaluationPayload): OutputSpec {
  return {
    items: [json(MIME.evaluationTable, p), text('text/markdown', evaluationMarkdown(p))],
    metadata: { vsumKind: 'evaluation-table' },
  };
}

/** The rethinking-evs style table (×100, 2 decimals) as markdown. */
export function evaluationMarkdown(p: EvaluationPayload): string {
  const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : (v * 100).toFixed(2));
  const head = ['video', ...p.methods.flatMap((m) => [`${m} min`, `${m} avg`, `${m} max`])];
  const rows = p.videos.map((v) => [
    mdEscape(v.name),
    ...p.methods.flatMap((m) => [f(v.scores[m]?.min), f(v.scores[m]?.avg), f(v.scores[m]?.max)]),
  ]);
  rows.push(['**mean**', ...p.methods.flatMap((m) => [f(p.mean[m]?.min), f(p.mean[m]?.avg), f(p.mean[m]?.max)])]);
  const lines = [
    `**${mdEscape(p.title)}** (${mdEscape(p.dataset)}, F-measure ×100)`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  if (p.baselines.length) {
    lines.push('', '| baseline | min | avg | max |', '|---|---|---|---|');
    for (const b of p.baselines)
      lines.push(`| ${mdEscape(b.name)} | ${f(b.scores.min)} | ${f(b.scores.avg)} | ${f(b.scores.max)} |`);
  }
  for (const n of p.notes) lines.push('', `- ${mdEscape(n)}`);
  return lines.join('\n');
}

export function progressOutput(p: ProgressPayload): OutputSpec {
  const pct = p.fraction !== undefined ? ` ${(p.fraction * 100).toFixed(0)}%` : '';
  return {
    items: [json(MIME.progress, p), text('text/plain', `${p.stage}: ${p.message}${pct}`)],
    metadata: { vsumKind: 'progress' },
  };
}

/** A user-facing error: the message only, never a stack trace. */
export function errorOutput(message: string): OutputSpec {
  return {
    items: [json('application/vnd.code.notebook.error', { name: 'vsum', message, stack: '' })],
    metadata: { vsumKind: 'error' },
  };
}

/**
 * What a notebook's session holds, as the nodes of the "vsum Session" view: the loaded videos, clip embeddings,
 * summaries (with their files), evaluation and attention rollout, each with its size and what opening it does
 * (reveal the cell that produced it, or open the file). Plain data, no vscode: the extension maps nodes to
 * TreeItems, and unit tests read them directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SessionSlot, SlotValues } from '../core/stages/slots';
import { fmtSeconds } from './outputs';
import { cellName, type CellRef, type Session } from './session';

/** What clicking a node does. */
export type SessionOpen = { kind: 'cell'; cellId: string } | { kind: 'file'; path: string };

export interface SessionNode {
  /** Stable within a session (the view keeps expansion state by it). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name. */
  icon: string;
  open?: SessionOpen;
  children?: SessionNode[];
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/** The file's size as shown, or why there is none. */
function fileSize(file: string): string {
  try {
    return fmtBytes(fs.statSync(file).size);
  } catch {
    return 'missing';
  }
}

function fileNode(id: string, label: string, file: string, icon = 'file'): SessionNode {
  return {
    id,
    label,
    description: fileSize(file),
    tooltip: file,
    icon,
    open: { kind: 'file', path: file },
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The nodes of the session, one group per slot it holds, in pipeline order. */
export function sessionTree(session: Session, cells: readonly CellRef[]): SessionNode[] {
  const from = (slot: SessionSlot): { where: string; open?: SessionOpen } => {
    const id = session.producer(slot);
    const ref = cells.find((c) => c.id === id);
    return {
      where: ref ? `from ${cellName(ref)}` : '',
      open: id ? { kind: 'cell', cellId: id } : undefined,
    };
  };
  const group = (
    slot: SessionSlot,
    label: string,
    icon: string,
    summary: string,
    children: SessionNode[],
  ): SessionNode => {
    const f = from(slot);
    return {
      id: slot,
      label,
      description: summary,
      tooltip: [summary, f.where].filter(Boolean).join(' · '),
      icon,
      open: f.open,
      children,
    };
  };
  const nodes: SessionNode[] = [];

  const video = session.get<SlotValues['video']>('video');
  if (video) {
    const kids = video.videos.map((v, i): SessionNode => ({
      id: `video/${i}`,
      label: v.name,
      description: [
        plural(v.info.frames, 'frame'),
        fmtSeconds(v.info.duration),
        `${v.info.width}×${v.info.height}`,
        fileSize(v.path),
      ].join(' · '),
      tooltip: `${v.path}\n${v.info.fps.toFixed(2)} fps, ${v.info.codec}${v.info.hasAudio ? ', with sound' : ''}`,
      icon: 'device-camera-video',
      open: { kind: 'file', path: v.path },
    }));
    if (video.gt)
      kids.push({
        id: 'video/gt',
        label: 'ground truth',
        description: path.basename(video.gt),
        tooltip: video.gt,
        icon: 'folder',
        open: { kind: 'file', path: video.gt },
      });
    nodes.push(group('video', 'Videos', 'device-camera-video', plural(video.videos.length, 'video'), kids));
  }

  const features = session.get<SlotValues['features']>('features');
  if (features) {
    const bytes = features.items.reduce((n, it) => n + it.features.data.byteLength, 0);
    nodes.push(
      group(
        'features',
        'Embeddings',
        'symbol-array',
        `${features.embedderId} · ${fmtBytes(bytes)}`,
        features.items.map((it, i) => ({
          id: `features/${i}`,
          label: it.video.stem,
          description: `${plural(it.features.rows, 'clip')} × ${it.features.cols} · ${fmtBytes(it.features.data.byteLength)}`,
          tooltip: `${it.features.rows} clips of ${it.clipLength} frames, ${it.features.cols} values each (float32)${it.model ? `\nmodel sha256 ${it.model}` : ''}`,
          icon: 'symbol-array',
          open: from('features').open,
        })),
      ),
    );
  }

  const selection = session.get<SlotValues['selection']>('selection');
  if (selection) {
    const runs = selection.runs.map((run, i): SessionNode => {
      const fps = run.video.info.fps;
      const sel = run.selection;
      const files: SessionNode[] = [];
      const f = run.files;
      if (f.video) files.push(fileNode(`selection/${i}/video`, path.basename(f.video), f.video, 'play'));
      if (f.frames) files.push(fileNode(`selection/${i}/frames`, path.basename(f.frames), f.frames, 'list-ordered'));
      if (f.json) files.push(fileNode(`selection/${i}/json`, path.basename(f.json), f.json, 'json'));
      return {
        id: `selection/${i}`,
        label: `${run.video.stem} · ${run.method}`,
        description: `${sel.frames.length} / ${plural(sel.nFrames, 'frame')} · ${plural(sel.segments.length, 'segment')} · ${fmtSeconds(sel.frames.length / fps)}`,
        tooltip: `${run.method} summary of ${run.video.name}: ${sel.frames.length} of ${sel.nFrames} frames (${((100 * sel.frames.length) / Math.max(1, sel.nFrames)).toFixed(1)}%)`,
        icon: 'play-circle',
        open: f.video ? { kind: 'file', path: f.video } : from('selection').open,
        children: files,
      };
    });
    for (const [m, file] of Object.entries(selection.exported))
      runs.push(fileNode(`selection/evs/${m}`, `rethinking-evs JSON (${m})`, file, 'json'));
    const methods = [...new Set(selection.runs.map((r) => r.method))];
    nodes.push(
      group(
        'selection',
        'Summaries',
        'play-circle',
        `${plural(selection.runs.length, 'summary', 'summaries')} · ${methods.join(', ')}`,
        runs,
      ),
    );
  }

  const evaluation = session.get<SlotValues['evaluation']>('evaluation');
  if (evaluation) {
    const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : (v * 100).toFixed(2));
    const rows: SessionNode[] = evaluation.methods.map((m) => ({
      id: `evaluation/${m}`,
      label: m,
      description: `F avg ${f(evaluation.mean[m]?.avg)} (min ${f(evaluation.mean[m]?.min)}, max ${f(evaluation.mean[m]?.max)})`,
      tooltip: `${m}: mean F-measure ×100 over ${plural(evaluation.videos.length, 'video')}`,
      icon: 'graph',
      open: from('evaluation').open,
    }));
    for (const b of evaluation.baselines)
      rows.push({
        id: `evaluation/baseline/${b.name}`,
        label: b.name,
        description: `F avg ${f(b.scores.avg)}`,
        tooltip: b.note ?? `baseline ${b.name}`,
        icon: 'dash',
        open: from('evaluation').open,
      });
    nodes.push(
      group(
        'evaluation',
        'Evaluation',
        'graph',
        `${evaluation.dataset} · ${plural(evaluation.methods.length, 'method')} × ${plural(evaluation.videos.length, 'video')}`,
        rows,
      ),
    );
  }

  const attention = session.get<SlotValues['attention']>('attention');
  if (attention) {
    const fr = attention.frames;
    const parts = [
      fr?.length ? `frames ${fr[0]}–${fr[fr.length - 1]}` : '',
      attention.grid ? `${attention.grid}×${attention.grid} patches` : '',
      attention.bytes !== undefined ? fmtBytes(attention.bytes) : '',
    ].filter(Boolean);
    const maps = (attention.maps ?? ['space-time']).map((m): SessionNode => ({
      id: `attention/${m}`,
      label: `${m} rollout`,
      description: parts.join(' · '),
      icon: 'eye',
      open: from('attention').open,
    }));
    nodes.push(group('attention', 'Attention', 'eye', `clip ${attention.clip} of ${attention.video}`, maps));
  }
  return nodes;
}

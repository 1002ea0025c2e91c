/**
 * host-responsiveness: the largest event-loop delay of a process hosting the stage engine the way the extension
 * host does (src/notebook/engine/child-engine.ts forks dist/engine.js; this row's process plays the host), while
 * k-means, KTS, evaluation (with the random and human baselines) and attention rollout run on 1-hour inputs:
 * a generated 1-hour 30 fps video (13,500 clips of 8 frames), seeded shot-like clip features (768-d, TimeSformer's
 * width, so the request that crosses the boundary is a real notebook's 41 MB; k-means on 32-d ones with one
 * restart, as the memory row does: 2,025 centroids over 768-d take tens of minutes on 2 cores, and restarts run one
 * after another), a generated SumMe-style ground truth of its 108,000 frames, and the attention maps of clip 0 from
 * the full-size random-weight TimeSformer. The delay is the larger of perf_hooks.monitorEventLoopDelay's maximum and
 * a 5 ms setInterval's worst lateness; the same watch over an idle wait gives the machine's own floor (a loaded
 * shared machine delays any timer). Baseline, same run and inputs: the same stage requests on the host's own
 * thread (the engine's in-process form, what the kernel did before the boundary). Goal: < 50 ms through the engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { REPO, generatedVideo, python, tmpPath } from '../lib/inputs';
import { shotFeatures } from '../lib/features';
import { fullModel } from '../lib/full-model';
import { pending, runRow, stats } from '../lib/row';
import { resolveFfmpeg } from '../../src/core/video/ffmpeg';
import { probe } from '../../src/core/video/probe';
import { execFileSync } from 'node:child_process';
import { ChildEngine } from '../../src/notebook/engine/child-engine';
import type { StageEngine, StageRequest } from '../../src/notebook/engine/engine';
import { inProcessEngine } from '../../src/notebook/engine/execute';
import type { SlotValues, LoadedVideo } from '../../src/core/stages/slots';

const MINUTES = Number(process.env.BENCH_HOST_MINUTES ?? 60);
const FPS = 30;
/** TimeSformer's embedding width, so what crosses the boundary is what a real notebook sends. */
const DIM = Number(process.env.BENCH_HOST_DIM ?? 768);
const KMEANS_DIM = 32;
const GT_USERS = 15;
const GOAL_MS = 50;

interface Watch {
  delayMs: number;
  wallMs: number;
  /** Fraction of the time the event loop was running code (not waiting): independent of the OS's scheduling. */
  utilization: number;
}

/** Runs `fn` while watching this thread's event loop: the worst delay seen (ms), its utilization, fn's wall time. */
async function watched(fn: () => Promise<unknown>): Promise<Watch> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let late = 0;
  let expected = performance.now() + 5;
  const tick = setInterval(() => {
    const now = performance.now();
    late = Math.max(late, now - expected);
    expected = now + 5;
  }, 5);
  h.enable();
  const elu = performance.eventLoopUtilization();
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    h.disable();
    clearInterval(tick);
  }
  return {
    delayMs: Math.max(h.max / 1e6, late),
    wallMs: performance.now() - t0,
    utilization: performance.eventLoopUtilization(elu).utilization,
  };
}

runRow(
  'host-responsiveness',
  'host responsiveness (engine boundary)',
  `largest event-loop delay < ${GOAL_MS} ms`,
  `${MINUTES}-min 30 fps video (${(MINUTES * 60 * FPS) / 8} clips), ${DIM}-d shot-like features, SumMe-style GT (${GT_USERS} users), full-size random TimeSformer for clip 0; summarize kmeans + kts, evaluate (random + human baselines), attention`,
  async (r) => {
    const engineScript = path.join(REPO, 'dist', 'engine.js');
    if (!fs.existsSync(engineScript)) pending('dist/engine.js is not built (npm run bench builds it)');
    const tools = await resolveFfmpeg();
    // The memory row's 1-hour video (same recipe, so the cached file is shared).
    const file = generatedVideo(
      tools.ffmpeg,
      `memory-${MINUTES}min-32`,
      `testsrc2=size=32x32:rate=${FPS}:d=${MINUTES * 60}`,
      ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '300'],
    );
    const info = await probe(file, { tools });
    const stem = path.basename(file, '.mp4');
    const video: LoadedVideo = { path: file, name: path.basename(file), stem, info };
    const clips = Math.floor(info.frames / 8);
    const shots = Math.round(clips / 40);
    const wide = shotFeatures(MINUTES, clips, DIM, { shots, noise: 0.3 });
    const narrow = shotFeatures(MINUTES, clips, KMEANS_DIM, { shots, noise: 0.3 });
    const gt = path.dirname(tmpPath(`host-gt-${MINUTES}min`, `${stem}.mat`));
    if (!fs.existsSync(path.join(gt, `${stem}.mat`)))
      execFileSync(python(['numpy', 'scipy']), [
        path.join(REPO, 'test', 'fixtures', 'mat', 'generate.py'),
        'summe-file',
        path.join(gt, `${stem}.mat`),
        String(info.frames),
        String(GT_USERS),
      ]);
    const model = fullModel((m) => console.log(`[host-responsiveness] ${m}`));
    const out = tmpPath('host-responsiveness', 'out');
    const base = {
      notebookDir: path.dirname(out),
      settings: { model: 'histogram', executionProvider: 'cpu', ffmpegPath: tools.ffmpeg },
    };
    const withFeatures = (features: typeof wide): Partial<SlotValues> => ({
      video: { videos: [video], gt },
      features: {
        embedderId: 'synthetic',
        items: [{ video, features, clipLength: 8, embedderId: 'synthetic', model: null, variant: null }],
      },
    });
    const inputs = withFeatures(wide);
    const requests: Array<[string, (given: Partial<SlotValues>) => StageRequest]> = [
      [
        'k-means',
        () => ({
          ...base,
          stage: 'summarize',
          options: { ...summarize('kmeans', out), restarts: 1 },
          inputs: withFeatures(narrow),
        }),
      ],
      ['KTS', () => ({ ...base, stage: 'summarize', options: summarize('kts', out), inputs })],
      [
        'evaluation',
        (given) => ({
          ...base,
          stage: 'evaluate',
          options: { baselines: ['random', 'human'] },
          inputs: { video: inputs.video, selection: given.selection },
        }),
      ],
      [
        'rollout',
        () => ({ ...base, stage: 'attention', options: { clip: 0, model }, inputs: { video: inputs.video } }),
      ],
    ];

    const measure = async (engine: StageEngine) => {
      const given: Partial<SlotValues> = {};
      const per: Record<string, Watch> = {};
      for (const [name, make] of requests) {
        const req = make(given);
        per[name] = await watched(async () => {
          const reply = await engine.run(
            req,
            new AbortController().signal,
            () => undefined,
            () => undefined,
          );
          Object.assign(given, reply.gives);
        });
        console.log(
          `[host-responsiveness] ${engine === inProcessEngine ? 'in-process' : 'engine'} ${name}: ` +
            `${per[name].delayMs.toFixed(1)} ms delay, loop busy ${(per[name].utilization * 100).toFixed(1)} %, ${(per[name].wallMs / 1000).toFixed(1)} s`,
        );
      }
      return per;
    };

    const idle = () => watched(() => new Promise((resolve) => setTimeout(resolve, 5000)));
    const floorBefore = await idle();
    const child = new ChildEngine({ script: engineScript });
    let viaEngine: Record<string, Watch>;
    try {
      viaEngine = await measure(child);
    } finally {
      child.dispose();
    }
    const floorAfter = await idle();
    const inHost = await measure(inProcessEngine);
    const floor = Math.max(floorBefore.delayMs, floorAfter.delayMs);

    const names = requests.map(([n]) => n);
    r.ours = stats(
      'engine (child process): largest delay per stage',
      names.map((n) => viaEngine[n].delayMs / 1000),
    );
    r.baseline = stats(
      'same stages on the host thread',
      names.map((n) => inHost[n].delayMs / 1000),
    );
    const worst = r.ours.max * 1000;
    const worstIn = r.baseline.max * 1000;
    for (const n of names) {
      r.figures[`${n} delay ms (engine / in-process)`] =
        `${viaEngine[n].delayMs.toFixed(1)} / ${inHost[n].delayMs.toFixed(1)}`;
      r.figures[`${n} loop busy % (engine / in-process)`] =
        `${(viaEngine[n].utilization * 100).toFixed(1)} / ${(inHost[n].utilization * 100).toFixed(1)}`;
      r.figures[`${n} wall s (engine / in-process)`] =
        `${(viaEngine[n].wallMs / 1000).toFixed(1)} / ${(inHost[n].wallMs / 1000).toFixed(1)}`;
    }
    r.figures['idle floor ms (same watch, 5 s idle wait, worst of two)'] = floor;
    r.figures['largest delay ms (engine)'] = worst;
    r.figures['largest delay ms (in-process)'] = worstIn;
    r.checks.push({
      name: `largest delay through the engine < ${GOAL_MS} ms`,
      ok: worst < GOAL_MS,
      detail: `${worst.toFixed(1)} ms (in-process: ${worstIn.toFixed(0)} ms; idle floor ${floor.toFixed(1)} ms)`,
    });
    r.ratioKind = 'time';
    r.ratio = worst / worstIn;
    r.goalMet = worst < GOAL_MS;
    r.notes.push(
      'ratio = largest delay through the engine / largest delay on the host thread; what is left through the engine is the structured clone of the request (the features) and of the reply on the host side.',
    );
    if (!r.goalMet)
      r.missed = {
        reason: `the host thread still waited ${worst.toFixed(1)} ms (during ${names.reduce((a, b) => (viaEngine[a].delayMs >= viaEngine[b].delayMs ? a : b))}) against an idle floor of ${floor.toFixed(1)} ms on this machine (load average ${os.loadavg()[0].toFixed(1)})`,
        next: 'the request carries the features: v8.serialize of 13,500 × 768 float32 (41 MB) takes 270–340 ms on the host here; let the engine read them from the embedding cache (a path in the request) instead of a clone',
      };
  },
);

function summarize(method: string, out: string): Record<string, unknown> {
  return { method, out: path.join(out, method), video: false, exports: 'none' };
}

/**
 * embed-variants: our int8, q4 and bnb4 embedders against our fp32 one, on the full-size random-weight model
 * converted like the published files (test/models/make_variants.py --convert): clips/s through embedVideo on a real
 * video, the cosine similarity of each clip's embedding with fp32's, and the agreement (Jaccard of the selected
 * frames) of the k-means and tt02 summaries made from them. The video is real: the two camera fixtures of
 * ../shared/fixtures/real (mmcv-test.mp4 and the original's "Jumps" summary) joined into one 39-clip video at bench
 * time, so the clips differ (the random-weight model's clip embeddings have pairwise cosines of −0.3 to 0.5 there)
 * and a quantized variant's summaries can disagree with fp32's. BENCH_VARIANTS_VIDEO overrides the video;
 * BENCH_VARIANTS lists the variants.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fullVariant } from '../lib/full-model';
import { tmpPath } from '../lib/inputs';
import { need, runRow, stats, timeOnce } from '../lib/row';
import { resolveFfmpeg } from '../../src/core/video/ffmpeg';
import type { FeatureMatrix } from '../../src/core/features';

const VARIANTS = (process.env.BENCH_VARIANTS ?? 'fp32,int8,q4,bnb4').split(',');
const REAL = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'real');

/** mmcv-test.mp4 then seed-kmeans-summarized_jumps.mp4, both 25 fps, padded to 294×240 (cached in bench/tmp). */
function joinedRealVideo(ffmpeg: string): string {
  const out = tmpPath('videos', 'real-joined-294x240.mp4');
  if (fs.existsSync(out)) return out;
  const part = `${out}.part.mp4`;
  const filter =
    '[0:v]fps=25,setsar=1[a];[1:v]fps=25,scale=240:240,pad=294:240:27:0,setsar=1[b];[a][b]concat=n=2:v=1:a=0[v]';
  execFileSync(ffmpeg, [
    ...['-v', 'error', '-nostdin', '-y', '-i', path.join(REAL, 'mmcv-test.mp4')],
    ...['-i', path.join(REAL, 'seed-kmeans-summarized_jumps.mp4'), '-filter_complex', filter, '-map', '[v]'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', part],
  ]);
  fs.renameSync(part, out);
  return out;
}

function jaccard(a: number[], b: number[]): number {
  const A = new Set(a);
  const B = new Set(b);
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  const union = A.size + B.size - inter;
  return union === 0 ? 1 : inter / union;
}

runRow(
  'embed-variants',
  'embed variants vs fp32 (full model)',
  'summaries agree with fp32 (Jaccard ≥ 0.9); faster than fp32',
  `full-size random-weight TimeSformer as ${VARIANTS.join(', ')}; ${process.env.BENCH_VARIANTS_VIDEO ? path.basename(process.env.BENCH_VARIANTS_VIDEO) : 'the two real fixture videos joined (39 clips)'}; batch 2, CPU`,
  async (r) => {
    const tf = await need<typeof import('../../src/core/embed/timesformer')>(
      '../../src/core/embed/timesformer',
      'the TimeSformer embedder',
    );
    const { embedVideo } = await need<typeof import('../../src/core/embed/embed-video')>(
      '../../src/core/embed/embed-video',
      'embedVideo',
    );
    const { kmeansSummarizer } = await need<typeof import('../../src/core/summarize/kmeans')>(
      '../../src/core/summarize/kmeans',
      'k-means',
    );
    const { ssdSummarize, SSD_DEFAULTS } = await need<typeof import('../../src/core/summarize/ssd')>(
      '../../src/core/summarize/ssd',
      'tt02',
    );
    const tools = await resolveFfmpeg();
    const VIDEO = process.env.BENCH_VARIANTS_VIDEO ?? joinedRealVideo(tools.ffmpeg);
    const threads = os.availableParallelism?.() ?? os.cpus().length;
    const cacheDir = tmpPath('model-cache', '.keep').replace(/\.keep$/, '');
    const out: Record<
      string,
      { seconds: number; clips: number; features: FeatureMatrix; kmeans: number[]; tt02: number[]; nFrames: number }
    > = {};
    for (const v of VARIANTS) {
      const model = fullVariant(v, (m) => r.notes.push(m));
      const e = await tf.createTimesformerEmbedder({ model, ep: 'cpu', batch: 2, cacheDir, threads });
      let res!: Awaited<ReturnType<typeof embedVideo>>;
      const s = await timeOnce(async () => {
        res = await embedVideo(VIDEO, e, { tools });
      });
      await e.dispose();
      const input = { features: res.features, nFrames: res.info.frames, fps: res.info.fps };
      const km = await kmeansSummarizer({}).summarize(input);
      const t2 = await ssdSummarize(input, SSD_DEFAULTS, 'previous');
      out[v] = {
        seconds: s,
        clips: res.features.rows,
        features: res.features,
        kmeans: km.frames,
        tt02: t2.frames,
        nFrames: res.info.frames,
      };
      r.figures[`${v} clips/s`] = +(res.features.rows / s).toFixed(3);
    }
    const ref = out.fp32;
    // How different the clips are to fp32 itself: summaries can only disagree meaningfully when the clips differ.
    let spread = 1;
    for (let a = 0; a < ref.clips; a++)
      for (let b = a + 1; b < ref.clips; b++) {
        let ab = 0,
          aa = 0,
          bb = 0;
        const d = ref.features.cols;
        for (let i = 0; i < d; i++) {
          const x = ref.features.data[a * d + i],
            y = ref.features.data[b * d + i];
          ab += x * y;
          aa += x * x;
          bb += y * y;
        }
        spread = Math.min(spread, ab / Math.sqrt(aa * bb));
      }
    r.figures['fp32 clip-vs-clip cosine, min'] = +spread.toFixed(4);
    r.figures['fp32 selected frames k-means / tt02 / all'] =
      `${ref.kmeans.length} / ${ref.tt02.length} / ${ref.nFrames}`;
    if (spread > 0.99)
      r.notes.push(
        `the random-weight model gives nearly the same embedding for every clip (the least similar pair has cosine ${spread.toFixed(4)}), so the k-means/tt02 agreement here says little about the real weights`,
      );
    for (const v of VARIANTS.filter((x) => x !== 'fp32')) {
      const o = out[v];
      let worst = 1;
      let sum = 0;
      const d = o.features.cols;
      for (let c = 0; c < o.clips; c++) {
        let ab = 0,
          aa = 0,
          bb = 0;
        for (let i = c * d; i < (c + 1) * d; i++) {
          ab += o.features.data[i] * ref.features.data[i];
          aa += o.features.data[i] ** 2;
          bb += ref.features.data[i] ** 2;
        }
        const cos = ab / Math.sqrt(aa * bb);
        worst = Math.min(worst, cos);
        sum += cos;
      }
      const jk = jaccard(o.kmeans, ref.kmeans);
      const jt = jaccard(o.tt02, ref.tt02);
      r.figures[`${v} speed vs fp32`] = +(ref.seconds / o.seconds).toFixed(2);
      r.figures[`${v} cosine mean / min`] = `${(sum / o.clips).toFixed(4)} / ${worst.toFixed(4)}`;
      r.figures[`${v} Jaccard k-means / tt02`] = `${jk.toFixed(3)} / ${jt.toFixed(3)}`;
      r.checks.push({
        name: `${v}: summaries agree with fp32 (Jaccard ≥ 0.9)`,
        ok: jk >= 0.9 && jt >= 0.9,
        detail: `k-means ${jk.toFixed(3)}, tt02 ${jt.toFixed(3)}`,
      });
    }
    r.ours = stats('fastest variant (s)', [Math.min(...VARIANTS.map((v) => out[v].seconds))]);
    r.baseline = stats('fp32 (s)', [ref.seconds]);
    r.ratioKind = 'time';
    r.figures['load average'] = os.loadavg()[0].toFixed(1);
    const agreeing = VARIANTS.filter((v) => v === 'fp32' || r.checks.find((c) => c.name.startsWith(`${v}:`))?.ok);
    const fastest = agreeing.sort((a, b) => out[a].seconds - out[b].seconds)[0];
    r.figures['fastest agreeing variant'] = fastest;
    // The README's SumMe estimate: 25 videos ≈ 13,700 clips, from each variant's measured clips/s.
    for (const v of VARIANTS)
      r.figures[`${v}: SumMe 13,700 clips (h, from measured clips/s)`] = +(
        13700 /
        (out[v].clips / out[v].seconds) /
        3600
      ).toFixed(1);
    r.goalMet = r.checks.some((c) => c.ok);
    r.notes.push(
      `one embedVideo run per variant on a shared machine (load ${os.loadavg()[0].toFixed(0)} on ${os.cpus().length} cores): speeds are noisy; the agreement figures are exact`,
    );
  },
);

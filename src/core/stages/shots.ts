/**
 * `shots`: shot boundaries of each loaded video — PySceneDetect's content or adaptive rule, or KTS on clip
 * embeddings (src/core/shots, docs/ALGORITHMS.md §shot-detection) — with the per-frame content score for the plot.
 */
import { SHOT_DEFAULTS, SHOT_DETECTORS } from '../shots/detector';
import { detectShots } from '../shots/detect-shots';
import type { Stage } from './stage';

const schema = {
  description: "Find the shots of each loaded video: PySceneDetect's content / adaptive rules, or KTS.",
  'x-shorthand': 'detector',
  type: 'object',
  additionalProperties: false,
  properties: {
    detector: {
      type: 'string',
      enum: SHOT_DETECTORS,
      default: 'content',
      description: "content (threshold on the mean HSV change), adaptive (ratio to the neighbours' change) or kts.",
    },
    threshold: {
      type: 'number',
      exclusiveMinimum: 0,
      description: `content: score threshold (default ${SHOT_DEFAULTS.contentThreshold}); adaptive: ratio threshold (default ${SHOT_DEFAULTS.adaptiveThreshold}).`,
    },
    minSceneLength: {
      type: 'integer',
      minimum: 0,
      default: SHOT_DEFAULTS.minSceneLength,
      description: 'Frames a shot lasts at least.',
    },
  },
} as const;

export interface VideoShots {
  stem: string;
  fps: number;
  frames: number;
  cuts: number[];
  shots: Array<[number, number]>;
  /** Per-frame content score (content / adaptive). */
  scores?: number[];
  params: Record<string, number>;
}

export interface ShotsResult {
  gives: Record<string, never>;
  detector: string;
  videos: VideoShots[];
}

export const shotsStage: Stage<typeof schema, ShotsResult> = {
  name: 'shots',
  schema,
  needs: ['video'],
  gives: [],
  invalidates: [],
  async run(o, io, signal, progress) {
    const tools = await io.tools();
    const loaded = io.inputs.video!.videos;
    const videos: VideoShots[] = [];
    for (const [i, v] of loaded.entries()) {
      const r = await detectShots(v.path, {
        detector: o.detector,
        threshold: o.threshold,
        minSceneLength: o.minSceneLength,
        tools,
        info: v.info,
        signal,
        onProgress: (done, total) =>
          progress(`${v.stem}: frame ${done} of ${total}`, (i + (total ? done / total : 0)) / loaded.length),
      });
      videos.push({
        stem: v.stem,
        fps: r.fps,
        frames: r.frames,
        cuts: r.cuts,
        shots: r.shots,
        scores: r.scores && Array.from(r.scores),
        params: r.params,
      });
    }
    return { gives: {}, detector: o.detector, videos };
  },
};

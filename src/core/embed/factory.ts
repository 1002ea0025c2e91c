/**
 * Embedder by name. `histogram` is built in (no model, offline); `timesformer` is loaded lazily so that a
 * histogram run never loads onnxruntime or touches the model cache.
 */
import { VsumError } from '../errors';
import type { Embedder } from './embedder';
import { createHistogramEmbedder } from './histogram';
import type { TimesformerOptions } from './timesformer';

export type EmbedderName = 'histogram' | 'timesformer';
export const EMBEDDER_NAMES: readonly EmbedderName[] = ['histogram', 'timesformer'];

export interface EmbedderFactoryOptions extends TimesformerOptions {
  /** Frames per clip for the histogram embedder (TimeSformer's is fixed by the model: 8). */
  clipLength?: number;
}

export async function createEmbedder(name: EmbedderName, opts: EmbedderFactoryOptions = {}): Promise<Embedder> {
  switch (name) {
    case 'histogram':
      return createHistogramEmbedder({ clipLength: opts.clipLength, batchSize: opts.batch });
    case 'timesformer': {
      let mod: typeof import('./timesformer');
      try {
        mod = require('./timesformer') as typeof import('./timesformer'); // lazy: keeps onnxruntime out of histogram runs
      } catch (e) {
        throw new VsumError(
          'MODEL',
          `The TimeSformer embedder is not available in this build (${(e as Error).message}). Use --embedder histogram, or install vsum with onnxruntime-node.`,
          { cause: e },
        );
      }
      return mod.createTimesformerEmbedder(opts);
    }
    default:
      throw new VsumError('BAD_INPUT', `unknown embedder "${String(name)}": use ${EMBEDDER_NAMES.join(' or ')}.`);
  }
}

/**
 * `vsum rollout --temporal T.npy --spatial S.npy --out mask.npy`: the divided space-time rollout of attention maps
 * saved by numpy — T [layers, P, heads, frames, frames], S [layers, frames, heads, P+1, P+1] (for the base model
 * [12, 196, 12, 8, 8] and [12, 8, 12, 197, 197]) — to a float32 mask [√P, √P, frames], max 1.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { rolloutDividedSpaceTime, rolloutSpatialOnly } from '../../core/attention/rollout';
import { VsumError } from '../../core/errors';
import { readNpy, writeNpy, type NpyArray } from '../../core/io/npy';
import type { CliContext } from '../context';
import { UsageError } from '../flags';

function asFloat32(a: NpyArray, file: string): Float32Array {
  if (a.dtype === 'i8')
    throw new VsumError('BAD_FILE', `${file} holds int64 values; attention maps are float32 or float64.`, { file });
  const data = a.dtype === 'f4' ? (a.data as Float32Array) : Float32Array.from(a.data as Float64Array);
  // Attention maps are softmax outputs: NaN or negative values (a broken export) would roll out to an all-zero mask.
  const bad = data.findIndex((v) => !(v >= 0) || v === Infinity);
  if (bad >= 0)
    throw new VsumError(
      'BAD_INPUT',
      `${file} holds ${data[bad]} at flat index ${bad}: attention maps are softmax probabilities (finite, ≥ 0). Re-export them from a working model.`,
      { file },
    );
  return data;
}

function splitLayers(data: Float32Array, layers: number): Float32Array[] {
  const n = data.length / layers;
  return Array.from({ length: layers }, (_, l) => data.subarray(l * n, (l + 1) * n));
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('rollout')
    .description(
      'attention rollout of saved maps: temporal [L, P, heads, T, T] + spatial [L, T, heads, P+1, P+1] → mask [√P, √P, T]',
    )
    .option('--temporal <T.npy>', 'temporal attention maps [layers, P, heads, frames, frames]')
    .requiredOption('--spatial <S.npy>', 'spatial attention maps [layers, frames, heads, P+1, P+1]')
    .requiredOption('--out <mask.npy>', 'output mask, float32 [√P, √P, frames]')
    .option('--spatial-only', 'roll out the spatial maps alone (no --temporal needed)')
    .action(async (o: { temporal?: string; spatial: string; out: string; spatialOnly?: boolean }) => {
      if (!o.spatialOnly && !o.temporal) throw new UsageError('--temporal is required (or pass --spatial-only)');
      const sp = readNpy(o.spatial);
      if (sp.shape.length !== 5 || sp.shape[3] !== sp.shape[4])
        throw new VsumError(
          'BAD_INPUT',
          `${o.spatial} has shape (${sp.shape.join(', ')}); spatial maps must be [layers, frames, heads, P+1, P+1].`,
          { file: o.spatial },
        );
      const [layers, frames, heads, N] = sp.shape;
      const P = N - 1;
      const g = Math.round(Math.sqrt(P));
      if (g * g !== P)
        throw new VsumError('BAD_INPUT', `${o.spatial}: ${N} tokens per frame is not CLS + a square grid of patches.`, {
          file: o.spatial,
        });
      const spatial = splitLayers(asFloat32(sp, o.spatial), layers);
      let mask;
      if (o.spatialOnly) mask = rolloutSpatialOnly({ layers, heads, frames, patches: P, spatial });
      else {
        const tp = readNpy(o.temporal!);
        const want = [layers, P, heads, frames, frames];
        if (tp.shape.length !== 5 || tp.shape.some((d, i) => d !== want[i]))
          throw new VsumError(
            'BAD_INPUT',
            `${o.temporal} has shape (${tp.shape.join(', ')}); with ${o.spatial} of shape (${sp.shape.join(', ')}) the temporal maps must be (${want.join(', ')}).`,
            { file: o.temporal },
          );
        mask = rolloutDividedSpaceTime({
          layers,
          heads,
          frames,
          patches: P,
          spatial,
          temporal: splitLayers(asFloat32(tp, o.temporal!), layers),
        });
      }
      const out = path.resolve(o.out);
      await writeNpy(out, { dtype: 'f4', shape: [mask.grid, mask.grid, mask.frames], data: mask.data });
      ctx.out(
        `${out}: mask [${mask.grid}, ${mask.grid}, ${mask.frames}] (${o.spatialOnly ? 'spatial-only' : 'divided space-time'}, ${layers} layers, ${heads} heads)\n`,
      );
    });
}

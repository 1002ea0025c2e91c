/**
 * `vsum model download [--variant fp32|fp16|q4f16|int8|uint8|quantized|q4|bnb4]` — fetch the published TimeSformer k600 ONNX export into the
 * cache (resumable; progress on stderr). `vsum model info` — where the models are, what is downloaded (size,
 * sha256), the exact URLs, and which execution providers can run here and why not. `vsum model inspect` — what an
 * ONNX file is and what the embedding derivation finds in it: the first command to run on a newly published file.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { resolveCacheDir } from '../../core/model/cache-dir';
import {
  HUB_REPO,
  VARIANTS,
  VARIANT_FILES,
  VARIANT_SIZES_MB,
  variantPath,
  variantUrl,
  type ModelVariant,
} from '../../core/model/hub';
import { formatModelReport, inspectModelBytes } from '../../core/model/inspect';
import { downloadVariant, ensureModel, isHubModel, type ModelRecord } from '../../core/model/model-store';
import { ortBinDir, probeProviders } from '../../core/model/providers';
import type { CliContext } from '../context';
import { cacheDirFlag, parseVariant, variantFlag } from '../flags';

function readRecord(file: string): ModelRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as ModelRecord;
  } catch {
    return undefined;
  }
}

export function register(program: Command, ctx: CliContext): void {
  const model = program
    .command('model')
    .description('the TimeSformer model: download it, see where it is and what can run it');
  model
    .command('download')
    .description(`download ${HUB_REPO} (ONNX) into the cache; resumes an interrupted download`)
    .addOption(variantFlag(VARIANTS.map((v) => `${v} (${VARIANT_SIZES_MB[v]} MB)`).join(' | ')))
    .addOption(cacheDirFlag('cache folder (default $VSUM_CACHE, else $XDG_CACHE_HOME/vsum or ~/.cache/vsum)'))
    .action(async (o: { variant: string; cacheDir?: string }) => {
      const variant = parseVariant(o.variant);
      const existing = fs.existsSync(variantPath(resolveCacheDir({ cacheDir: o.cacheDir }), variant));
      const onProgress = ctx.downloadProgress();
      const log = ctx.quiet ? undefined : ctx.note;
      const m = existing
        ? await ensureModel({ variant, cacheDir: o.cacheDir, signal: ctx.signal, verify: true, log })
        : await downloadVariant(variant, { cacheDir: o.cacheDir, signal: ctx.signal, onProgress, log });
      if (onProgress && process.stderr.isTTY) process.stderr.write('\n');
      ctx.out(
        `${m.path}\n  ${existing ? 'already downloaded, verified' : 'downloaded'}: ${(m.size / 1e6).toFixed(1)} MB, sha256 ${m.sha256}\n`,
      );
    });
  model
    .command('info')
    .description('cache folder, downloaded variants (size, sha256), Hub URLs, execution providers')
    .option('--json', 'print JSON')
    .addOption(cacheDirFlag('cache folder'))
    .action((o: { json?: boolean; cacheDir?: string }) => {
      const cacheDir = resolveCacheDir({ cacheDir: o.cacheDir });
      const variants = VARIANTS.map((v) => {
        const file = variantPath(cacheDir, v);
        const present = fs.existsSync(file);
        const rec = present ? readRecord(file) : undefined;
        const part = fs.existsSync(`${file}.part`) ? fs.statSync(`${file}.part`).size : undefined;
        const size = present ? fs.statSync(file).size : undefined;
        return {
          variant: v,
          file: VARIANT_FILES[v],
          url: variantUrl(v),
          path: file,
          present,
          size,
          sha256: rec?.sha256,
          shaVerified: rec?.shaVerified,
          partialBytes: part,
          problem: size === undefined ? undefined : sizeProblem(v, size, rec?.size),
        };
      });
      const providers = probeProviders();
      if (o.json) {
        ctx.out(
          JSON.stringify({ cacheDir, repo: HUB_REPO, variants, providers, onnxruntimeBinDir: ortBinDir() }, null, 1) +
            '\n',
        );
        return;
      }
      const lines = [`cache     ${cacheDir}`, `model     ${HUB_REPO}`];
      for (const v of variants) {
        lines.push(
          `  ${v.variant.padEnd(9)} ${v.present ? `${(v.size! / 1e6).toFixed(1)} MB  sha256 ${v.sha256 ?? '(not recorded yet)'}` : v.partialBytes ? `partial download: ${(v.partialBytes / 1e6).toFixed(1)} MB (vsum model download --variant ${v.variant} resumes)` : 'not downloaded'}`,
        );
        lines.push(`        ${v.present ? v.path : v.url}`);
        if (v.problem) lines.push(`        PROBLEM: ${v.problem}`);
      }
      lines.push('execution providers (--ep auto tries them in this order)');
      for (const p of providers) lines.push(`  ${p.ep.padEnd(7)}${p.available ? 'yes' : 'no '}  ${p.reason}`);
      const cuda = providers.find((p) => p.ep === 'cuda');
      if (cuda && !cuda.available && cuda.hint) lines.push(`  (${cuda.hint})`);
      ctx.out(lines.join('\n') + '\n');
    });
  model
    .command('inspect <model>')
    .description(
      'opset, producer, inputs/outputs, Softmax count, op histogram, and what the derivation finds (k600 or a .onnx path)',
    )
    .addOption(variantFlag(`with k600: ${VARIANTS.join(' | ')}`))
    .option('--json', 'print JSON')
    .addOption(cacheDirFlag('cache folder'))
    .action(async (m: string, o: { variant?: string; json?: boolean; cacheDir?: string }) => {
      const resolved = await ensureModel({
        model: isHubModel(m) ? undefined : m,
        variant: parseVariant(o.variant),
        cacheDir: o.cacheDir,
        download: false,
        signal: ctx.signal,
      });
      const report = inspectModelBytes(await fs.promises.readFile(resolved.path), resolved.path);
      ctx.out(o.json ? JSON.stringify(report, null, 1) + '\n' : formatModelReport(report));
    });
}

/**
 * What is wrong with a cached model file, told by its size alone (cheap enough for `model info`): fewer bytes than
 * were downloaded, or — for a file dropped in without a record — far fewer than the published file has.
 */
function sizeProblem(variant: ModelVariant, size: number, recorded: number | undefined): string | undefined {
  const fix = `delete it and run \`vsum model download --variant ${variant}\``;
  if (recorded !== undefined && recorded !== size)
    return `${size} bytes, but ${recorded} were downloaded: truncated or replaced; ${fix}.`;
  const published = VARIANT_SIZES_MB[variant] * 1e6;
  if (recorded === undefined && size < 0.9 * published)
    return `${(size / 1e6).toFixed(1)} MB, but the published file has ≈${VARIANT_SIZES_MB[variant]} MB: truncated or not this variant; ${fix}.`;
  return undefined;
}

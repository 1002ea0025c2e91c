/**
 * `npm run bench:gpu`: one prepared GPU measurement, done in under 5 minutes. On a machine with an NVIDIA GPU it
 * prints the GPU's name, driver and memory; makes (or reuses) the full-size random-weight model in fp32 and fp16;
 * runs each on every GPU execution provider onnxruntime-node can load here (CUDA, WebGPU — each first started in a
 * child process, so a failing provider says why in one line); prints clips/s per provider and precision, and the
 * agreement (cosine) of the GPU embedding with the CPU one for the same clip. Without a GPU it says so and exits 0.
 * Results also go to bench/tmp/gpu.json. VSUM_BENCH_MODEL=<fp32.onnx> uses a given model instead of generating one.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TMP } from './lib/inputs';
import { fullModel, fullVariant, GFLOP_PER_CLIP } from './lib/full-model';
import { probeInChild } from '../src/core/model/ep-probe';
import { ensureDerived, ensureModel } from '../src/core/model/model-store';
import { probeProviders } from '../src/core/model/providers';
import { loadOrt, openSession } from '../src/core/model/session';

const DEADLINE = Date.now() + 280_000; // leave ~20 s of the 5 minutes for setup and printing
const CLIPS = Number(process.env.BENCH_GPU_CLIPS ?? 16);
const BATCH = 4;
const left = () => (DEADLINE - Date.now()) / 1000;
const say = (m: string) => process.stdout.write(`${m}\n`);

function nvidiaGpus(): string[] | string {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    const gpus = out.trim().split('\n').filter(Boolean);
    return gpus.length ? gpus : 'nvidia-smi lists no GPU';
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    return err.code === 'ENOENT'
      ? 'no nvidia-smi on PATH (no NVIDIA driver)'
      : `nvidia-smi failed: ${(err.stderr ?? err.message).toString().split('\n')[0]}`;
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

async function main(): Promise<void> {
  const gpus = nvidiaGpus();
  if (typeof gpus === 'string') {
    say(
      `bench:gpu: no NVIDIA GPU on this machine (${gpus}); nothing to measure. Run it on a machine with an NVIDIA GPU and driver.`,
    );
    return;
  }
  say(`GPU: ${gpus.join('; ')} (name, driver, memory)`);
  const log = (m: string) => say(`  ${m}`);
  const models: Record<string, string> = {};
  try {
    models.fp32 = process.env.VSUM_BENCH_MODEL ?? fullModel(log);
    models.fp16 = process.env.VSUM_BENCH_MODEL ? '' : fullVariant('fp16', log);
  } catch (e) {
    say(
      `bench:gpu: could not make the full-size model (${(e as Error).message.split('\n')[0]}); set VSUM_BENCH_MODEL to an fp32 TimeSformer .onnx.`,
    );
    process.exitCode = 1;
    return;
  }
  const cacheDir = path.join(TMP, 'gpu-cache');
  const providers = probeProviders();
  const eps: Array<'cuda' | 'webgpu'> = [];
  for (const ep of ['cuda', 'webgpu'] as const) {
    const p = providers.find((x) => x.ep === ep)!;
    if (!p.available) {
      say(`${ep}: not loadable — ${p.reason}`);
      continue;
    }
    const child = await probeInChild(ep);
    if (!child.ok) say(`${ep}: does not start — ${child.reason}`);
    else eps.push(ep);
  }
  const ort = loadOrt();
  const results: Array<Record<string, unknown>> = [];
  const x = new Float32Array(BATCH * 8 * 3 * 224 * 224).map((_, i) => ((i * 2654435761) % 1000) / 500 - 1);
  const cpuRef = new Map<string, Float32Array>();
  for (const precision of ['fp32', 'fp16'] as const) {
    if (!models[precision]) continue;
    const derived = await ensureDerived(await ensureModel({ model: models[precision] }), {
      attention: false,
      cacheDir,
    });
    const g = derived.inspection.geometry;
    const input = new ort.Tensor('float32', x, [BATCH, g.frames, 3, g.imageSize, g.imageSize]);
    const one = new ort.Tensor('float32', x.subarray(0, g.frames * 3 * g.imageSize * g.imageSize), [
      1,
      g.frames,
      3,
      g.imageSize,
      g.imageSize,
    ]);
    if (left() > 60) {
      const cpu = await openSession(derived.path, { ep: 'cpu' });
      cpuRef.set(precision, ((await cpu.session.run({ [g.inputName]: one })).embedding.data as Float32Array).slice());
      await cpu.release();
    }
    for (const ep of eps) {
      if (left() < 30) {
        say(`${ep} ${precision}: skipped — the 5-minute budget is spent`);
        continue;
      }
      try {
        const ms = await openSession(derived.path, { ep });
        await ms.session.run({ [g.inputName]: input }); // warm-up: kernels, allocations
        let clips = 0;
        const t0 = process.hrtime.bigint();
        while (clips < CLIPS && left() > 15) {
          await ms.session.run({ [g.inputName]: input });
          clips += BATCH;
        }
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        const emb = (await ms.session.run({ [g.inputName]: one })).embedding.data as Float32Array;
        const ref = cpuRef.get(precision);
        const agreement = ref ? cosine(emb, ref) : undefined;
        await ms.release();
        const r = {
          ep,
          precision,
          clips,
          seconds: s,
          clipsPerSecond: clips / s,
          gflops: (clips / s) * GFLOP_PER_CLIP,
          cosineVsCpu: agreement,
        };
        results.push(r);
        say(
          `${ep} ${precision}: ${(clips / s).toFixed(1)} clips/s (${clips} clips, batch ${BATCH}, ${r.gflops.toFixed(0)} GFLOP/s); embedding cosine vs CPU ${agreement?.toFixed(6) ?? 'n/a'}`,
        );
      } catch (e) {
        say(`${ep} ${precision}: failed — ${(e as Error).message.split('\n')[0]}`);
        results.push({ ep, precision, error: (e as Error).message.split('\n')[0] });
      }
    }
  }
  fs.mkdirSync(TMP, { recursive: true });
  fs.writeFileSync(path.join(TMP, 'gpu.json'), JSON.stringify({ gpus, results }, null, 1));
  say(`bench:gpu: done in ${(280 - left()).toFixed(0)} s; results in ${path.join(TMP, 'gpu.json')}`);
}

main().catch((e) => {
  say(`bench:gpu: ${(e as Error).message.split('\n')[0]}`);
  process.exitCode = 1;
});

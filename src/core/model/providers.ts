/**
 * Which onnxruntime execution providers can run here, decided from files on disk (no onnxruntime load, no late
 * failure): CUDA needs the provider libraries the onnxruntime-node installer fetches from NuGet, WebGPU on Linux
 * needs the Vulkan loader, DirectML is Windows-only, CoreML macOS-only. `auto` tries them in that order, then CPU.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VsumError } from '../errors';

export const EP_CHOICES = ['auto', 'cpu', 'cuda', 'webgpu', 'dml', 'coreml'] as const;
export type EpChoice = (typeof EP_CHOICES)[number];
export type Ep = Exclude<EpChoice, 'auto'>;
/** The order `auto` tries. */
export const AUTO_ORDER: Ep[] = ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'];

export interface EpProbe {
  ep: Ep;
  available: boolean;
  /** Why it is (un)available, one short line. */
  reason: string;
  /** What to do about it, when unavailable (long). */
  hint?: string;
}

/** The folder holding onnxruntime-node's native binding for this platform, or undefined when not installed. */
export function ortBinDir(): string | undefined {
  try {
    const pkg = require.resolve('onnxruntime-node/package.json');
    return path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

const CUDA_LIBS: Record<string, string[]> = {
  linux: ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'],
  win32: ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll'],
};

const VULKAN_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/lib64',
  '/usr/lib',
  '/lib',
  '/usr/local/lib',
];

export function vulkanLoaderPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...VULKAN_DIRS];
  for (const d of dirs) {
    const p = path.join(d, 'libvulkan.so.1');
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Vulkan driver manifests (ICDs) the loader would find: VK_DRIVER_FILES / VK_ICD_FILENAMES, else the standard
 * icd.d folders. With none, Dawn can only fail — and it prints its Vulkan errors straight to the console (native
 * stderr, which cannot be caught), so `auto` must not try it.
 */
export function vulkanDrivers(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES ?? '').split(':').filter(Boolean);
  if (listed.length) return listed.filter((f) => fs.existsSync(f));
  const xdg = (env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':').filter(Boolean);
  const dirs = ['/etc/vulkan/icd.d', ...xdg.map((d) => path.join(d, 'vulkan', 'icd.d'))];
  return dirs.flatMap((d) => {
    try {
      return fs
        .readdirSync(d)
        .filter((f) => f.endsWith('.json'))
        .map((f) => path.join(d, f));
    } catch {
      return [];
    }
  });
}

export function cudaInstallHint(dir: string): string {
  return (
    `The CUDA provider libraries (${(CUDA_LIBS[process.platform] ?? CUDA_LIBS.linux).join(', ')}) are not in ${dir}. ` +
    'onnxruntime-node fetches them at install time from the NuGet package Microsoft.ML.OnnxRuntime.Gpu.Linux of the same version ' +
    '(skipped with onnxruntime-node-install=skip or without network). To add them by hand: download ' +
    'https://www.nuget.org/api/v2/package/Microsoft.ML.OnnxRuntime.Gpu.Linux/<version> on a connected machine, unzip it, and copy ' +
    `runtimes/linux-x64/native/libonnxruntime_providers_{cuda,shared}.so into ${dir}; CUDA 12 and cuDNN 9 must be installed.`
  );
}

export function probeProviders(
  opts: { binDir?: string; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {},
): EpProbe[] {
  const dir = opts.binDir ?? ortBinDir();
  const platform = opts.platform ?? process.platform;
  if (!dir || !fs.existsSync(dir)) {
    const reason = `onnxruntime-node has no native binding for ${platform}/${process.arch} (looked in ${dir ?? 'node_modules/onnxruntime-node'}); reinstall it (npm install onnxruntime-node)`;
    return AUTO_ORDER.map((ep) => ({ ep, available: false, reason }));
  }
  const has = (f: string) => fs.existsSync(path.join(dir, f));
  const probes: EpProbe[] = [];
  const cudaLibs = CUDA_LIBS[platform];
  if (!cudaLibs)
    probes.push({ ep: 'cuda', available: false, reason: `onnxruntime-node has no CUDA provider on ${platform}` });
  else {
    const missing = cudaLibs.filter((f) => !has(f));
    probes.push(
      missing.length
        ? {
            ep: 'cuda',
            available: false,
            reason: `CUDA provider libraries not installed (${missing.join(', ')} missing in ${dir})`,
            hint: cudaInstallHint(dir),
          }
        : { ep: 'cuda', available: true, reason: `CUDA provider libraries found in ${dir}` },
    );
  }
  if (platform === 'linux') {
    const vk = vulkanLoaderPath(opts.env);
    const drivers = vk ? vulkanDrivers(opts.env) : [];
    probes.push(
      !vk
        ? {
            ep: 'webgpu',
            available: false,
            reason:
              'WebGPU (Dawn) on Linux needs libvulkan.so.1 and a Vulkan driver: apt-get install libvulkan1 mesa-vulkan-drivers',
          }
        : !drivers.length
          ? {
              ep: 'webgpu',
              available: false,
              reason: `Vulkan loader ${vk} present but no Vulkan driver (no ICD manifest in /etc/vulkan/icd.d or /usr/share/vulkan/icd.d): apt-get install mesa-vulkan-drivers, or your GPU vendor's driver`,
            }
          : {
              ep: 'webgpu',
              available: true,
              reason: `Vulkan loader ${vk} and driver${drivers.length > 1 ? 's' : ''} ${drivers.map((d) => path.basename(d)).join(', ')}`,
            },
    );
  } else if (platform === 'win32' || platform === 'darwin') {
    probes.push({ ep: 'webgpu', available: true, reason: 'bundled with onnxruntime-node' });
  } else probes.push({ ep: 'webgpu', available: false, reason: `no WebGPU build for ${platform}` });
  probes.push(
    platform === 'win32' && has('DirectML.dll')
      ? { ep: 'dml', available: true, reason: 'DirectML.dll bundled' }
      : { ep: 'dml', available: false, reason: 'DirectML exists only on Windows' },
  );
  probes.push(
    platform === 'darwin'
      ? { ep: 'coreml', available: true, reason: 'CoreML is built into onnxruntime-node on macOS' }
      : { ep: 'coreml', available: false, reason: 'CoreML exists only on macOS' },
  );
  probes.push({ ep: 'cpu', available: true, reason: 'always available' });
  return probes;
}

export function epUnavailable(ep: Ep, reason: string, hint?: string): VsumError {
  return new VsumError(
    'EP_UNAVAILABLE',
    `The ${ep} execution provider is not available: ${reason}.${hint ? ` ${hint}` : ''} Use --ep auto (falls back to the CPU) or --ep cpu.`,
  );
}

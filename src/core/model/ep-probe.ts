/**
 * Does a GPU execution provider start here? Asked in a child process, on a one-node graph: a provider that fails
 * (no CUDA driver, no Vulkan driver, no adapter) prints native text straight to the process's stderr — Dawn's
 * "vkCreateInstance … at CheckVkSuccessImpl (…VulkanError.cpp)" — which no JS code can catch. In the child it goes
 * to a pipe: the parent keeps one readable line as the reason, and its own console stays clean. The answer is
 * remembered for the process (each probe costs a Node start and an onnxruntime load, ~0.3–1 s).
 */
import { spawn } from 'node:child_process';
import { onnx } from 'onnx-proto';
import type { Ep } from './providers';

export interface ChildProbe {
  ok: boolean;
  /** One line: why it did not start (empty when ok). */
  reason: string;
}

const answers = new Map<Ep, Promise<ChildProbe>>();

/** y = x + x on float32 [1]: enough for a provider to create a session and run. */
function probeModel(): Uint8Array {
  const f = onnx.TensorProto.DataType.FLOAT;
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: f, shape: { dim: [{ dimValue: 1 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 14 }],
    graph: {
      name: 'vsum_probe',
      node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'] }],
      input: [vi('x')],
      output: [vi('y')],
    },
  }).finish();
}

const CHILD = `
const ort = require(process.env.VSUM_ORT_PATH);
const bytes = Buffer.from(process.env.VSUM_PROBE_MODEL, 'base64');
(async () => {
  const s = await ort.InferenceSession.create(bytes, { executionProviders: [process.env.VSUM_PROBE_EP], logSeverityLevel: 4 });
  await s.run({ x: new ort.Tensor('float32', new Float32Array([1]), [1]) });
  process.stdout.write('ok');
  process.exit(0);
})().catch((e) => { process.stdout.write('error: ' + String(e && e.message || e).split('\\n')[0]); process.exit(1); });
`;

/** The most telling line of what the child printed: its own error line, else the native output's first line. */
export function probeReason(stdout: string, stderr: string): string {
  const own = /^error: (.*)$/m.exec(stdout)?.[1];
  const native = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at |^\s*$/.test(l));
  const pick = own ?? native[0] ?? 'it exited without saying why';
  const clean = pick.replace(/^.*?(?:was false\. |\] : \d+ : \w+ : )/, '').replace(/^Warning: /, '');
  const extra = own && native.length ? ` (${native[0].replace(/^Warning: /, '').slice(0, 120)})` : '';
  return `${clean}${extra}`.slice(0, 240);
}

export function probeInChild(ep: Ep, opts: { timeoutMs?: number } = {}): Promise<ChildProbe> {
  const known = answers.get(ep);
  if (known) return known;
  const answer = new Promise<ChildProbe>((resolve) => {
    let ortPath: string;
    try {
      ortPath = require.resolve('onnxruntime-node');
    } catch (e) {
      resolve({ ok: false, reason: `onnxruntime-node is not installed (${(e as Error).message.split('\n')[0]})` });
      return;
    }
    const child = spawn(process.execPath, ['-e', CHILD], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        VSUM_ORT_PATH: ortPath,
        VSUM_PROBE_EP: ep,
        VSUM_PROBE_MODEL: Buffer.from(probeModel()).toString('base64'),
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && out.startsWith('ok')) resolve({ ok: true, reason: '' });
      else if (signal)
        resolve({ ok: false, reason: `the probe was killed (${signal}) after ${(opts.timeoutMs ?? 60_000) / 1000} s` });
      else resolve({ ok: false, reason: probeReason(out, err) });
    });
    child.on('error', (e) => resolve({ ok: false, reason: `could not start a probe process (${e.message})` }));
  });
  answers.set(ep, answer);
  return answer;
}

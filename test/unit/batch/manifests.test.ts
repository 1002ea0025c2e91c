/**
 * The cluster manifests of docs/cluster/ (issue #17): the YAML parses, the Job is an Indexed Job whose
 * VSUM_SHARD_COUNT equals its completions, the Slurm array has as many tasks as the shard count it exports and
 * each task maps to one shard, every worker and collect command runs the same batch, and docs/cluster.md shows
 * every file verbatim. The Dockerfile and README say how to build the image.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { shardFromEnv } from '../../../src/core/batch/shard';
import { REPO } from '../../helpers/fixtures';

const DIR = path.join(REPO, 'docs', 'cluster');
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');

interface Container {
  args: string[];
  env?: Array<{ name: string; value: string }>;
  resources?: { limits?: Record<string, unknown> };
  volumeMounts: Array<{ mountPath: string }>;
}
interface JobManifest {
  apiVersion: string;
  kind: string;
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: { spec: { containers: Container[]; volumes: Array<{ persistentVolumeClaim?: { claimName: string } }> } };
  };
}

function yamlDocs(name: string, text = read(name)): unknown[] {
  const docs = parseAllDocuments(text);
  for (const d of docs) assert.deepEqual(d.errors, [], `${name} parses`);
  return docs.map((d) => d.toJS());
}

/** The batch invocation without the per-role flags: what worker and collect must agree on. */
const common = (args: string[]) =>
  args.filter((a, i) => !['--shard', 'auto', '--collect'].includes(a) && args[i - 1] !== '--gt' && a !== '--gt');

test('the Kubernetes Job is Indexed, its VSUM_SHARD_COUNT equals completions, it mounts the shared claim; collect runs the same batch', () => {
  const [job] = yamlDocs('batch-job.yaml') as JobManifest[];
  assert.equal(job.apiVersion, 'batch/v1');
  assert.equal(job.kind, 'Job');
  assert.equal(job.spec.completionMode, 'Indexed');
  assert.ok(job.spec.completions! >= 1 && job.spec.parallelism! >= 1 && job.spec.parallelism! <= job.spec.completions!);
  const c = job.spec.template.spec.containers[0];
  assert.equal(c.env?.find((e) => e.name === 'VSUM_SHARD_COUNT')?.value, String(job.spec.completions));
  assert.deepEqual(c.args.slice(0, 2), ['batch', '/data/videos']);
  assert.equal(c.args[c.args.indexOf('--shard') + 1], 'auto');
  const [pvc] = yamlDocs('pvc.yaml') as Array<{
    kind: string;
    metadata: { name: string };
    spec: { accessModes: string[] };
  }>;
  assert.equal(pvc.kind, 'PersistentVolumeClaim');
  assert.ok(pvc.spec.accessModes.includes('ReadWriteMany'), 'every pod mounts it at once');
  assert.equal(job.spec.template.spec.volumes[0].persistentVolumeClaim?.claimName, pvc.metadata.name);
  assert.equal(c.volumeMounts[0].mountPath, '/data');
  // Every index maps to its own shard.
  const shards = Array.from({ length: job.spec.completions! }, (_, i) =>
    shardFromEnv({
      JOB_COMPLETION_INDEX: String(i),
      VSUM_SHARD_COUNT: c.env!.find((e) => e.name === 'VSUM_SHARD_COUNT')!.value,
    }),
  );
  assert.deepEqual(
    shards.map((s) => s.index),
    Array.from({ length: job.spec.completions! }, (_, i) => i + 1),
  );

  // The optional GPU request is one line to uncomment.
  const [gpu] = yamlDocs(
    'batch-job.yaml',
    read('batch-job.yaml').replace('# nvidia.com/gpu: 1', 'nvidia.com/gpu: 1'),
  ) as JobManifest[];
  assert.equal(gpu.spec.template.spec.containers[0].resources?.limits?.['nvidia.com/gpu'], 1);

  const [collect] = yamlDocs('collect-job.yaml') as JobManifest[];
  assert.equal(collect.kind, 'Job');
  const cc = collect.spec.template.spec.containers[0];
  assert.ok(cc.args.includes('--collect'));
  assert.deepEqual(common(cc.args), common(c.args), 'collect: same videos, --out, methods and flags as the workers');
});

test("the Slurm script's --array has as many tasks as the VSUM_SHARD_COUNT it exports, each task one shard; collect matches", () => {
  const script = read('batch.sbatch');
  const array = /^#SBATCH --array=(\d+)-(\d+)(?:%\d+)?$/m.exec(script);
  assert.ok(array, 'an #SBATCH --array=A-B line');
  const [min, max] = [Number(array[1]), Number(array[2])];
  const count = Number(/^export VSUM_SHARD_COUNT=(\d+)$/m.exec(script)?.[1]);
  assert.equal(max - min + 1, count, '--array size = VSUM_SHARD_COUNT');
  const [job] = yamlDocs('batch-job.yaml') as JobManifest[];
  assert.equal(count, job.spec.completions, 'the two engines split the dataset alike');
  const env = (id: number) => ({
    SLURM_ARRAY_TASK_ID: String(id),
    SLURM_ARRAY_TASK_MIN: String(min),
    SLURM_ARRAY_TASK_MAX: String(max),
    SLURM_ARRAY_TASK_COUNT: String(count),
    VSUM_SHARD_COUNT: String(count),
  });
  const ids = Array.from({ length: count }, (_, i) => min + i);
  assert.deepEqual(
    ids.map((id) => shardFromEnv(env(id)).index),
    ids.map((_, i) => i + 1),
  );
  // Without VSUM_SHARD_COUNT, the same array numbers its tasks the same way.
  assert.deepEqual(
    ids.map((id) => {
      const e: Record<string, string> = env(id);
      delete e.VSUM_SHARD_COUNT;
      return shardFromEnv(e).index;
    }),
    ids.map((_, i) => i + 1),
  );
  for (const f of ['batch.sbatch', 'collect.sbatch']) {
    const r = spawnSync('bash', ['-n', path.join(DIR, f)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${f}: bash -n: ${r.stderr}`);
  }
  const vsumLine = (text: string) =>
    text
      .split('\n')
      .find((l) => l.startsWith('vsum batch '))!
      .split(/\s+/);
  const worker = vsumLine(script);
  const collect = vsumLine(read('collect.sbatch'));
  assert.equal(worker[worker.indexOf('--shard') + 1], 'auto');
  assert.ok(collect.includes('--collect'));
  assert.deepEqual(common(collect), common(worker));
});

test('docs/cluster.md shows every manifest verbatim; the Dockerfile and README build the image', () => {
  const doc = fs.readFileSync(path.join(REPO, 'docs', 'cluster.md'), 'utf8');
  for (const f of fs.readdirSync(DIR))
    assert.ok(doc.includes(read(f).trimEnd()), `docs/cluster.md includes docs/cluster/${f}`);
  const docker = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
  assert.match(docker, /^FROM node:20-slim$/m);
  assert.match(docker, /apt-get install -y --no-install-recommends ffmpeg/);
  assert.match(docker, /node esbuild\.mjs/);
  assert.match(docker, /^ENTRYPOINT \["vsum"\]$/m);
  assert.match(docker, /AS cuda$/m, 'the CUDA variant');
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  assert.match(readme, /docker build -t vsum \./);
});

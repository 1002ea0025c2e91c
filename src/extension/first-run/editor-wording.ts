/**
 * Core's error messages are written for the CLI (`--model PATH`, `vsum model download`); the same errors reach
 * notebook cells and notifications, where the way to act is a cell option, a setting or a command. This turns the
 * CLI's words into the editor's: the known sentences first, then any remaining `--flag` that has a cell option of
 * the same meaning. No vscode here (unit-tested against the real messages of src/core).
 */

/** Sentences about the model and the cache, rewritten whole. */
const SENTENCES: Array<[RegExp, string]> = [
  [
    /\(or pass --model \/path\/to\/model\.onnx\)/g,
    "(or choose that file with the cell's `model` option or the vsum.model setting)",
  ],
  [
    /,? or pass --model \/path\/to\/model\.onnx\./g,
    ", or choose an .onnx file (the cell's `model` option or the vsum.model setting).",
  ],
  [
    /Pass --model k600 \(downloads the published model\) or the path of a TimeSformer \.onnx file\./g,
    "Set the cell's `model` option or the vsum.model setting to `k600` (the published model, downloaded once) or to " +
      'the path of a TimeSformer .onnx file.',
  ],
  [
    /point --model at a complete \.onnx file/g,
    "point the cell's `model` option (or vsum.model) at a complete .onnx file",
  ],
  [/pass this file with --model PATH/g, "give this file's path as the cell's `model` option"],
  [/run `vsum model download(?: --variant ([\w-]+))?`/g, 'run **vsum: Download Model**'],
  [/\(`vsum model download`\)/g, '(**vsum: Download Model**)'],
  [/--cache-dir \/ VSUM_CACHE/g, 'the vsum.cacheDirectory setting'],
  [
    /Use --ep auto \(falls back to the CPU\) or --ep cpu\./g,
    'Set `ep: auto` (falls back to the CPU) or `ep: cpu` in the cell, or the vsum.executionProvider setting.',
  ],
];

/** CLI flags whose cell option has the same meaning (the option names of src/core/stages/*.ts). */
const FLAG_OPTIONS: Record<string, string> = {
  ratio: 'ratio',
  'seed-faithful': 'seedFaithful',
  'max-seg-len': 'maxSegmentLength',
  'max-cp': 'maxCp',
  clip: 'clip',
  segmentation: 'segmentation',
  duration: 'duration',
  method: 'method',
  out: 'out',
  threshold: 'threshold',
  model: 'model',
  ep: 'ep',
  seed: 'seed',
  batch: 'batch',
  'min-scene-len': 'minSceneLength',
};

/** A flag's value is taken along only when it is clearly one (a number, or a word these flags take). */
const FLAG_VALUE = /^(?:-?\d[\d.]*|kmeans|tt01|tt02|kts|content|adaptive|auto|cpu|cuda|k600|histogram)$/;

export function editorWording(message: string): string {
  let s = message;
  for (const [re, to] of SENTENCES) s = s.replace(re, to);
  return s.replace(
    /(^|[\s(`'"])--([a-z][a-z-]*)(?: (-?\d+(?:\.\d+)?|[a-z][\w-]*))?(?=[\s.,;:)`'"]|$)/g,
    (all, pre, flag, value) => {
      const option = FLAG_OPTIONS[flag as string];
      if (!option) return all;
      if (value !== undefined && FLAG_VALUE.test(value as string)) return `${pre}\`${option}: ${value}\``;
      return `${pre}\`${option}\`${value !== undefined ? ` ${value}` : ''}`;
    },
  );
}

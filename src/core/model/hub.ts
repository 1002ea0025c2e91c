/**
 * The published ONNX exports of facebook/timesformer-base-finetuned-k600 on the Hugging Face Hub
 * (onnx-community/timesformer-base-finetuned-k600, folder onnx/). All are classification graphs (output
 * `logits`); vsum derives the embedding graph from whichever variant is chosen.
 */
import path from 'node:path';

export const HUB_REPO = 'onnx-community/timesformer-base-finetuned-k600';
export const VARIANTS = ['fp32', 'fp16', 'q4f16', 'int8', 'uint8', 'quantized', 'q4', 'bnb4'] as const;
export type ModelVariant = (typeof VARIANTS)[number];

/** Every file of the repo's onnx/ folder: torch.onnx.export, then onnxruntime's quantizers / onnxconverter-common. */
export const VARIANT_FILES: Record<ModelVariant, string> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q4f16: 'model_q4f16.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  quantized: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
  bnb4: 'model_bnb4.onnx',
};

/** The published files' sizes (MB as the Hub lists them), for messages before the server tells the exact one. */
export const VARIANT_SIZES_MB: Record<ModelVariant, number> = {
  fp32: 487,
  fp16: 244,
  q4f16: 71.1,
  int8: 123,
  uint8: 123,
  quantized: 123,
  q4: 81.4,
  bnb4: 73.9,
};

/** How each variant was made, one line (for `vsum model download --help` and the extension's picker). */
export const VARIANT_DESCRIPTIONS: Record<ModelVariant, string> = {
  fp32: 'full precision, as the original',
  fp16: 'float16 weights and activations (float32 input/output)',
  q4f16: '4-bit weights (MatMulNBits, block 32), float16 activations',
  int8: '8-bit dynamic quantization, int8 weights (MatMulInteger)',
  uint8: '8-bit dynamic quantization, uint8 weights (MatMulInteger, ConvInteger)',
  quantized: '8-bit dynamic quantization (the default 8-bit build)',
  q4: '4-bit weights (MatMulNBits, block 32), float32 activations',
  bnb4: '4-bit NF4 weights (MatMulBnb4)',
};

/** The Hub's base URL: VSUM_HF_ENDPOINT, else HF_ENDPOINT (the Hub's own mirror variable), else huggingface.co. */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.VSUM_HF_ENDPOINT ?? env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
}

export function variantUrl(variant: ModelVariant, env: NodeJS.ProcessEnv = process.env): string {
  return `${hubEndpoint(env)}/${HUB_REPO}/resolve/main/onnx/${VARIANT_FILES[variant]}`;
}

/** Where a variant lives in the cache: <cache>/models/onnx-community/timesformer-base-finetuned-k600/<file>. */
export function variantPath(cacheDir: string, variant: ModelVariant): string {
  return path.join(cacheDir, 'models', ...HUB_REPO.split('/'), VARIANT_FILES[variant]);
}

/** The published k600 model's geometry: a file in the cache under a variant's name must have it. */
export const K600_GEOMETRY = { frames: 8, imageSize: 224, patchSize: 16, hidden: 768 } as const;

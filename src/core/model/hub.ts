/**
 * The published ONNX exports of facebook/timesformer-base-finetuned-k600 on the Hugging Face Hub
 * (onnx-community/timesformer-base-finetuned-k600, folder onnx/). All are classification graphs (output
 * `logits`); vsum derives the embedding graph from whichever variant is chosen.
 */
import path from 'node:path';

export const HUB_REPO = 'onnx-community/timesformer-base-finetuned-k600';
export const VARIANTS = ['fp32', 'fp16', 'int8', 'q4'] as const;
export type ModelVariant = (typeof VARIANTS)[number];

export const VARIANT_FILES: Record<ModelVariant, string> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  int8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
};

/** Approximate sizes, for messages before the server tells the real one. */
export const VARIANT_SIZES_MB: Record<ModelVariant, number> = { fp32: 487, fp16: 244, int8: 123, q4: 90 };

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

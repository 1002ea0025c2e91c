/** "vsum: Download Model" and "vsum: Select Execution Provider". core/model is imported lazily (no ORT at activation). */
import * as vscode from 'vscode';
import { isCancelled, VsumError } from '../../core/errors';
import { editorWording } from '../first-run/editor-wording';
import { readSettings } from '../settings';

export async function downloadModelCommand(
  log: vscode.LogOutputChannel,
  variantArg?: string,
): Promise<string | undefined> {
  const hub = await import('../../core/model/hub.js');
  let variant = variantArg;
  if (!variant) {
    const pick = await vscode.window.showQuickPick(
      hub.VARIANTS.map((v) => ({
        label: v,
        description: `≈${hub.VARIANT_SIZES_MB[v]} MB`,
        detail: hub.VARIANT_DESCRIPTIONS[v],
      })),
      {
        title: 'vsum: download the TimeSformer k600 model',
        placeHolder: `From ${hub.HUB_REPO} on the Hugging Face Hub`,
      },
    );
    if (!pick) return undefined;
    variant = pick.label;
  }
  if (!hub.VARIANTS.includes(variant as never))
    throw new VsumError('BAD_INPUT', `Unknown model variant "${variant}" (${hub.VARIANTS.join(', ')}).`);
  const cacheDir = cacheDirectory();
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `vsum: downloading TimeSformer (${variant})`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const store = await import('../../core/model/model-store.js');
      let last = 0;
      try {
        const m = await store.downloadVariant(variant as never, {
          cacheDir,
          signal: abort.signal,
          log: (s) => log.info(s),
          onProgress: (p) => {
            const pct = p.percent ?? 0;
            progress.report({
              increment: pct - last,
              message: `${(p.bytes / 1e6).toFixed(0)} MB${p.total ? ` of ${(p.total / 1e6).toFixed(0)} MB` : ''} · ${p.mbPerSecond.toFixed(1)} MB/s${p.etaSeconds !== undefined ? ` · ${Math.ceil(p.etaSeconds)} s left` : ''}`,
            });
            last = pct;
          },
        });
        log.info(`model ${m.label} at ${m.path} (sha256 ${m.sha256})`);
        void vscode.window.showInformationMessage(`vsum: TimeSformer ${m.label} is ready (${m.path}).`);
        return m.path;
      } catch (e) {
        if (isCancelled(e)) {
          void vscode.window.showInformationMessage('vsum: download cancelled; it resumes where it stopped next time.');
          return undefined;
        }
        const msg = editorWording(e instanceof VsumError ? e.message : String(e));
        log.error(`model download failed: ${msg}`);
        void vscode.window.showErrorMessage(`vsum: ${msg}`);
        return undefined;
      } finally {
        sub.dispose();
      }
    },
  );
}

/**
 * The vsum.cacheDirectory setting; empty → core's rule (VSUM_CACHE, $XDG_CACHE_HOME/vsum, ~/.cache/vsum), the same
 * folder the CLI and the notebook's embed / attention stages use, so a model downloaded here is found there.
 */
export function cacheDirectory(): string | undefined {
  return readSettings().cacheDirectory;
}

export async function selectExecutionProviderCommand(
  log: vscode.LogOutputChannel,
  ep?: string,
): Promise<string | undefined> {
  const providers = await import('../../core/model/providers.js');
  const probes = providers.probeProviders();
  let choice = ep;
  if (!choice) {
    const current = vscode.workspace.getConfiguration('vsum').get<string>('executionProvider') ?? 'auto';
    const items = providers.EP_CHOICES.map((c) => {
      const p = probes.find((x) => x.ep === c);
      return {
        label: c,
        description:
          c === current
            ? '(current)'
            : c === 'auto'
              ? 'CUDA → WebGPU → DirectML → CoreML → CPU'
              : p?.available
                ? 'available'
                : 'not available here',
        detail: p?.reason,
      };
    });
    const pick = await vscode.window.showQuickPick(items, { title: 'vsum: onnxruntime execution provider' });
    if (!pick) return undefined;
    choice = pick.label;
  }
  if (!providers.EP_CHOICES.includes(choice as never))
    throw new VsumError('BAD_INPUT', `Unknown execution provider "${choice}" (${providers.EP_CHOICES.join(', ')}).`);
  await vscode.workspace
    .getConfiguration('vsum')
    .update('executionProvider', choice, vscode.ConfigurationTarget.Global);
  log.info(
    `execution provider set to ${choice}; ${probes.map((p) => `${p.ep}: ${p.available ? 'available' : 'unavailable'} (${p.reason})`).join('; ')}`,
  );
  return choice;
}

/**
 * Progress of a running stage, inside the cell output (replaced by the results when the stage ends). The elapsed
 * time ticks here every second, so the line never stands still while the kernel works between reports, and an
 * estimate of the time left appears once it means something (some progress made, a few seconds in).
 */
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { ProgressPayload } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, custom, ensureStyle, h, LiveOutputs } from './_dom';

/** Seconds left by linear extrapolation; undefined until ≥ 3 % done and ≥ 3 s in (earlier guesses swing wildly). */
export function etaSeconds(elapsedMs: number, fraction: number | undefined): number | undefined {
  if (fraction === undefined || !(fraction >= 0.03) || fraction >= 1 || elapsedMs < 3000) return undefined;
  return (elapsedMs / 1000) * ((1 - fraction) / fraction);
}

/** 75 → "1 min 15 s", 8.2 → "8 s". */
export function fmtDuration(s: number): string {
  const r = Math.max(0, Math.round(s));
  if (r < 60) return `${r} s`;
  const m = Math.floor(r / 60);
  if (m < 60) return `${m} min ${String(r % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The progress line for a payload, `sinceMs` after it arrived. */
export function progressLine(p: ProgressPayload, sinceMs = 0): string {
  const pct = p.fraction !== undefined ? Math.round(Math.min(1, Math.max(0, p.fraction)) * 100) : undefined;
  const elapsed = p.elapsedMs + sinceMs;
  const eta = etaSeconds(p.elapsedMs, p.fraction);
  const left = eta !== undefined ? ` · about ${fmtDuration(Math.max(0, eta - sinceMs / 1000))} left` : '';
  return `${p.stage}: ${p.message}${pct !== undefined ? ` — ${pct}%` : ''} (${(elapsed / 1000).toFixed(1)} s${left})`;
}

export const activate: ActivationFunction = () => {
  const live = new LiveOutputs<{ dispose(): void }>();
  return {
    renderOutputItem(item, element) {
      const doc = element.ownerDocument;
      ensureStyle(
        doc,
        'vsum-progress-css',
        `${BASE_CSS}\n.vsum-progress .msg { font-variant-numeric: tabular-nums; margin-bottom: 4px; }`,
      );
      const p = item.json() as ProgressPayload;
      const pct = p.fraction !== undefined ? Math.round(Math.min(1, Math.max(0, p.fraction)) * 100) : undefined;
      const bar = custom(doc, 'vscode-progress-bar', {
        'aria-label': `${p.stage} progress`,
        ...(pct !== undefined ? { value: pct, max: 100 } : { indeterminate: true }),
      });
      const msg = h(doc, 'div', { class: 'msg', role: 'status', text: progressLine(p) });
      element.replaceChildren(h(doc, 'div', { class: 'vsum-out vsum-progress', 'data-kind': 'progress' }, msg, bar));
      const shown = Date.now();
      const timer = setInterval(() => {
        if (!msg.isConnected) clearInterval(timer);
        else msg.textContent = progressLine(p, Date.now() - shown);
      }, 1000);
      live.set(item.id, { dispose: () => clearInterval(timer) });
    },
    disposeOutputItem(id) {
      live.dispose(id);
    },
  };
};

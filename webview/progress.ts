/** Progress of a running stage, inside the cell output (replaced by the results when the stage ends). */
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { ProgressPayload } from '../src/common/payloads';
import type { ActivationFunction } from './_api';
import { BASE_CSS, custom, ensureStyle, h } from './_dom';

export const activate: ActivationFunction = () => ({
  renderOutputItem(item, element) {
    const doc = element.ownerDocument;
    ensureStyle(doc, 'vsum-progress-css', `${BASE_CSS}\n.vsum-progress .msg { font-variant-numeric: tabular-nums; margin-bottom: 4px; }`);
    const p = item.json() as ProgressPayload;
    const pct = p.fraction !== undefined ? Math.round(Math.min(1, Math.max(0, p.fraction)) * 100) : undefined;
    const bar = custom(doc, 'vscode-progress-bar', { 'aria-label': `${p.stage} progress`, ...(pct !== undefined ? { value: pct, max: 100 } : { indeterminate: true }) });
    element.replaceChildren(
      h(doc, 'div', { class: 'vsum-out vsum-progress', 'data-kind': 'progress' }, h(doc, 'div', { class: 'msg', text: `${p.stage}: ${p.message}${pct !== undefined ? ` — ${pct}%` : ''} (${(p.elapsedMs / 1000).toFixed(1)} s)` }), bar),
    );
  },
});

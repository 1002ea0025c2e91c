/** The view of each stage (results → outputs), keyed like the stage registry. */
import type { StageName } from '../../core/stages/registry';
import { attentionView } from './attention';
import { embedView } from './embed';
import { evaluateView } from './evaluate';
import { loadView } from './load';
import { scriptView } from './script';
import { shotsView } from './shots';
import { summarizeView } from './summarize';
import type { View } from './view';

export const VIEWS: Record<StageName, View<never>> = {
  load: loadView,
  embed: embedView,
  summarize: summarizeView,
  evaluate: evaluateView,
  attention: attentionView,
  shots: shotsView,
  script: scriptView,
};

/**
 * The one bundle of the two plotly renderers: package.json points both the score-plot and the evaluation-table
 * renderer ids here, so plotly (about 4.8 MB) is shipped and loaded once. VS Code activates this module once per
 * renderer id, each with its own context; an item's mime type picks the renderer.
 */
import { MIME } from '../src/common/mime';
import type { ActivationFunction } from './_api';
import { activate as activateEvaluationTable } from './evaluation-table';
import { activate as activateScorePlot } from './score-plot';

export const activate: ActivationFunction = (ctx) => {
  const scorePlot = activateScorePlot(ctx);
  const table = activateEvaluationTable(ctx);
  return {
    renderOutputItem: (item, element, signal) =>
      (item.mime === MIME.evaluationTable ? table : scorePlot).renderOutputItem(item, element, signal),
    disposeOutputItem(id) {
      scorePlot.disposeOutputItem?.(id);
      table.disposeOutputItem?.(id);
    },
  };
};

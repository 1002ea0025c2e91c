/** Imported first by renderer tests: plotly and lit need a DOM when they load. */
import { installDom } from './_dom';

export const win = installDom();

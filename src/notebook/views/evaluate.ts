/** `evaluate` results → the evaluation table. */
import type { EvaluateResult } from '../../core/stages/evaluate';
import { evaluationOutput } from '../outputs';
import type { View } from './view';

export const evaluateView: View<EvaluateResult> = async (r) => [evaluationOutput(r.gives.evaluation)];

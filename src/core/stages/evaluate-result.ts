/**
 * What the evaluate stage returns, apart from the stage itself so that its eccv16 half (evaluate-h5.ts) can use
 * these types without an import cycle.
 */
import type { EvaluationPayload } from '../../common/payloads';
import type { LengthFit } from '../evaluate/submission';
import type { EvaluationProtocol, EvaluationResult } from '../evaluate/types';

/** One evaluated submission: the protocol's result and what was changed to fit the ground truth. */
export interface SubmissionScores {
  name: string;
  file: string;
  result: EvaluationResult;
  protocol: EvaluationProtocol;
  fits: LengthFit[];
  /** Submission videos that are not in the ground truth (ignored). */
  extra: string[];
}

export interface EvaluateResult {
  gives: { evaluation: EvaluationPayload };
  submissions: SubmissionScores[];
}

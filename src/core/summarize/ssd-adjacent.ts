/**
 * tt02: a segment ends where a clip differs from the clip just before it by more than `threshold` SSD.
 * docs/ALGORITHMS.md §ssd; the scan and sampling live in ssd.ts. (The Gradio app's "Online" method is this with
 * its ratio.)
 */
import type { Selection, SummarizeInput, Summarizer } from './selection';
import { SSD_DEFAULTS, checkThreshold, ssdSelectMode, ssdSummarize, type SsdOptions } from './ssd';

export function ssdAdjacentSummarizer(options: Partial<SsdOptions> = {}): Summarizer {
  const opts: SsdOptions = { ...SSD_DEFAULTS, ...options };
  checkThreshold(opts.threshold);
  return {
    method: 'tt02',
    params: {
      threshold: opts.threshold,
      ratio: opts.ratio,
      seed: opts.seed,
      seedFaithful: opts.seedFaithful,
      select: ssdSelectMode(opts),
    },
    summarize: (input: SummarizeInput): Promise<Selection> => ssdSummarize(input, opts, 'previous'),
  };
}

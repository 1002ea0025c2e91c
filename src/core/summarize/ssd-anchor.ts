/**
 * tt01: a segment lasts while every clip stays within `threshold` SSD of the segment's first clip (the anchor).
 * docs/ALGORITHMS.md §ssd; the scan and sampling live in ssd.ts.
 */
import type { Selection, SummarizeInput, Summarizer } from './selection';
import { SSD_DEFAULTS, checkThreshold, ssdSelectMode, ssdSummarize, type SsdOptions } from './ssd';

export function ssdAnchorSummarizer(options: Partial<SsdOptions> = {}): Summarizer {
  const opts: SsdOptions = { ...SSD_DEFAULTS, ...options };
  checkThreshold(opts.threshold);
  return {
    method: 'tt01',
    params: {
      threshold: opts.threshold,
      ratio: opts.ratio,
      seed: opts.seed,
      seedFaithful: opts.seedFaithful,
      select: ssdSelectMode(opts),
    },
    summarize: (input: SummarizeInput): Promise<Selection> => ssdSummarize(input, opts, 'anchor'),
  };
}

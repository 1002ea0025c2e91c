import { createSummarizer } from '../src/core/summarize/methods';
import { featureMatrix } from '../src/core/features';
import { createRng } from '../src/core/random';
const [method, sf] = [process.argv[2], process.argv[3] === 'sf'];
const n = 27000, d = Number(process.argv[4] ?? 320);
const rng = createRng(1);
const m = featureMatrix(n, d);
let centre = new Float32Array(d), left = 0;
for (let r = 0; r < n; r++) {
  if (left-- <= 0) { centre = Float32Array.from({ length: d }, () => rng.next()); left = 5 + rng.int(200); }
  for (let t = 0; t < d; t++) m.data[r * d + t] = centre[t] + 0.05 * rng.next();
}
const t0 = performance.now();
const s = createSummarizer(method as 'kmeans', { seedFaithful: sf } as never);
let lastP = '';
s.summarize({ features: m, nFrames: n * 8, fps: 30, onProgress: (p) => { lastP = JSON.stringify(p); } }).then((sel) => {
  console.log(method, sf ? 'sf' : '', 'frames', sel.frames.length, 's', ((performance.now() - t0) / 1000).toFixed(1), 'rss MB', (process.resourceUsage().maxRSS / 1024).toFixed(0), lastP);
});

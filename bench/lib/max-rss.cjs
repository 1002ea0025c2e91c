// Preloaded (node --require) into a process whose peak memory the bench measures: at exit, writes this process's
// peak resident set size (bytes, from getrusage) to $BENCH_RSS_FILE.
const fs = require('node:fs');
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE)
    fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});

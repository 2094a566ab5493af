// Mocha reporter for every tier: prints like `spec` and, when GC_RESULTS_FILE is set, writes
// {"passed":N,"failed":N,"pending":N,"failures":[{title,error}]} there so scripts/test.ts can sum the
// tiers and name the failed tests in its closing summary (CI shows only the tail of the output).
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

function firstLines(text, count) {
  return String(text ?? '')
    .split('\n')
    .slice(0, count)
    .join('\n');
}

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let pending = 0;
    const failures = [];
    runner.on('pass', () => passed++);
    runner.on('fail', (test, err) => {
      failed++;
      failures.push({
        title: typeof test.fullTitle === 'function' ? test.fullTitle() : String(test.title),
        file: test.file ? path.relative(process.cwd(), test.file) : undefined,
        error: firstLines((err && (err.stack || err.message)) || err, 12),
      });
    });
    runner.on('pending', () => pending++);
    runner.once('end', () => {
      const file = process.env.GC_RESULTS_FILE;
      if (!file) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ passed, failed, pending, failures }));
    });
  }
}
module.exports = CountingReporter;

// Mocha reporter for every tier: prints like `spec` and, when GC_RESULTS_FILE is set, writes
// {"passed":N,"failed":N,"pending":N} there so scripts/test.ts can sum the tiers.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let pending = 0;
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
    runner.on('pending', () => pending++);
    runner.once('end', () => {
      const file = process.env.GC_RESULTS_FILE;
      if (!file) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ passed, failed, pending }));
    });
  }
}
module.exports = CountingReporter;

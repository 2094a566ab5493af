import assert from 'node:assert/strict';
import { Coalescer, Throttle } from '../../../src/timing';
import { FakeClock } from '../../support/fake-clock';

describe('timing: Coalescer', () => {
  it('sends the first change after a quiet spell at once, then at most one flush per window', () => {
    const clock = new FakeClock();
    const flushes: Array<string[] | undefined> = [];
    const coalescer = new Coalescer<string>(300, (keys) => flushes.push(keys), clock, 20);
    coalescer.add('pod-a');
    coalescer.add('pod-b');
    clock.advance(19);
    assert.equal(flushes.length, 0, 'the settle time gathers what comes with the first change');
    clock.advance(1);
    assert.deepEqual(flushes, [['pod-a', 'pod-b']]);
    // A burst right after: one flush when the window since the last flush (t = 20) ends, each key once.
    clock.advance(80);
    coalescer.add('pod-c');
    coalescer.add('pod-a');
    coalescer.add('pod-c');
    clock.advance(219);
    assert.equal(flushes.length, 1);
    clock.advance(1);
    assert.deepEqual(flushes[1], ['pod-c', 'pod-a']);
    assert.equal(clock.pending, 0);
    // After a quiet spell longer than the window, the next change goes out after the settle time again.
    clock.advance(1000);
    coalescer.add('pod-d');
    clock.advance(20);
    assert.deepEqual(flushes[2], ['pod-d']);
  });

  it('does not starve under a steady stream', () => {
    const clock = new FakeClock();
    let flushes = 0;
    const coalescer = new Coalescer<number>(300, () => flushes++, clock);
    for (let t = 0; t < 1000; t += 50) {
      coalescer.add(t);
      clock.advance(50);
    }
    assert.ok(flushes >= 3, `flushed ${flushes} times`);
  });

  it('turns an undefined key into a whole refresh and stops after dispose', () => {
    const clock = new FakeClock();
    const flushes: Array<number[] | undefined> = [];
    const coalescer = new Coalescer<number>(300, (keys) => flushes.push(keys), clock);
    coalescer.add(1);
    coalescer.add(undefined);
    coalescer.fire();
    assert.deepEqual(flushes, [undefined]);
    coalescer.add(2);
    coalescer.dispose();
    clock.advance(1000);
    assert.equal(flushes.length, 1);
    assert.equal(coalescer.hasPending, false);
  });

  // Was kube/coalesce.ts's test (the watch caches' change batches): the same windows on the one Coalescer.
  it('coalesces a burst of distinct changes into one batch, quickly after a quiet spell', () => {
    const clock = new FakeClock();
    const batches: number[][] = [];
    const c = new Coalescer<{ n: number }>(100, (b) => batches.push((b ?? []).map((x) => x.n)), clock, 10);
    for (let i = 0; i < 50; i++) c.add({ n: i });
    clock.advance(9);
    assert.equal(batches.length, 0, 'the burst is gathered for the settle time');
    clock.advance(1);
    assert.equal(batches.length, 1);
    assert.equal(batches[0]!.length, 50);
    c.add({ n: 99 });
    clock.advance(99);
    assert.equal(batches.length, 1, 'a second batch inside the window waits');
    clock.advance(1);
    assert.deepEqual(batches[1], [99]);
    c.add({ n: 1 });
    c.dispose();
    clock.advance(1000);
    assert.equal(batches.length, 2);
  });

  it('drops what is pending on cancel and collects again afterwards (a watch stopped and restarted)', () => {
    const clock = new FakeClock();
    const flushes: Array<string[] | undefined> = [];
    const coalescer = new Coalescer<string>(100, (keys) => flushes.push(keys), clock, 10);
    coalescer.add('before-stop');
    coalescer.cancel();
    assert.equal(clock.pending, 0);
    clock.advance(500);
    assert.deepEqual(flushes, []);
    coalescer.add('after-start');
    clock.advance(10);
    assert.deepEqual(flushes, [['after-start']]);
  });
});

describe('timing: Throttle', () => {
  it('runs once per interval, the interval after the first request, absorbing requests in between', () => {
    const clock = new FakeClock();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 60, clock);
    throttle.schedule();
    clock.advance(30);
    throttle.schedule();
    clock.advance(29);
    assert.equal(runs, 0);
    clock.advance(1);
    assert.equal(runs, 1);
    assert.equal(throttle.pending, false);
    // A request long after: again one interval later (the interval never shrinks to a settle time).
    clock.advance(1000);
    throttle.schedule();
    clock.advance(59);
    assert.equal(runs, 1);
    clock.advance(1);
    assert.equal(runs, 2);
  });

  it('runs now on fire(), drops the pending run on cancel(), and never runs after dispose()', () => {
    const clock = new FakeClock();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 250, clock);
    throttle.schedule();
    throttle.fire();
    assert.equal(runs, 1);
    assert.equal(clock.pending, 0);
    throttle.fire();
    assert.equal(runs, 1, 'nothing pending, nothing to run');
    throttle.schedule();
    throttle.cancel();
    clock.advance(1000);
    assert.equal(runs, 1);
    throttle.schedule();
    throttle.dispose();
    throttle.schedule();
    clock.advance(1000);
    assert.equal(runs, 1);
  });
});

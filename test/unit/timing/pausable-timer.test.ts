import assert from 'node:assert/strict';
import { PausableTimer } from '../../../src/timing';
import { FakeClock } from '../../support/fake-clock';

describe('timing: PausableTimer', () => {
  it('expires after its time, not counting the spans it was paused', () => {
    const clock = new FakeClock();
    let expired = 0;
    const timer = new PausableTimer(1000, clock);
    timer.start(() => expired++);
    clock.advance(400);
    timer.pause();
    clock.advance(60_000);
    assert.equal(expired, 0, 'a paused timer never expires');
    timer.resume();
    clock.advance(599);
    assert.equal(expired, 0);
    clock.advance(1);
    assert.equal(expired, 1);
    clock.advance(10_000);
    assert.equal(expired, 1, 'one shot');
  });

  it('nests pauses: it runs again only when the last one ends', async () => {
    const clock = new FakeClock();
    let expired = 0;
    const timer = new PausableTimer(100, clock);
    timer.start(() => expired++);
    await timer.pausedWhile(async () => {
      await timer.pausedWhile(async () => clock.advance(500));
      assert.equal(timer.running, false, 'still paused by the outer prompt');
      clock.advance(500);
    });
    assert.equal(expired, 0);
    assert.equal(timer.running, true);
    clock.advance(100);
    assert.equal(expired, 1);
  });

  it('resumes after work that throws, and never fires after stop', async () => {
    const clock = new FakeClock();
    let expired = 0;
    const timer = new PausableTimer(100, clock);
    timer.start(() => expired++);
    await assert.rejects(
      timer.pausedWhile(async () => {
        throw new Error('prompt failed');
      }),
    );
    assert.equal(timer.running, true);
    timer.stop();
    clock.advance(1000);
    assert.equal(expired, 0);
    assert.equal(clock.pending, 0);
  });
});

import assert from 'node:assert/strict';
import { MASK, Masker } from '../../../src/remote/masker';
import { shellQuote } from '../../../src/remote/quote';

describe('remote/masker', () => {
  it('masks every registered secret, longest first, and its quoted form', () => {
    const masker = new Masker();
    masker.register('s3cr3t');
    masker.register("pa'ss word");
    masker.register('s3cr3t-longer');
    masker.register(undefined);
    assert.equal(masker.mask('token s3cr3t-longer and s3cr3t'), `token ${MASK} and ${MASK}`);
    assert.equal(masker.mask(`echo ${shellQuote("pa'ss word")}`), `echo ${MASK}`);
    assert.equal(masker.mask('nothing here'), 'nothing here');
  });

  it('masks secrets under 3 characters where they stand as a whole token, not inside words', () => {
    const masker = new Masker();
    masker.register('a');
    masker.register('42');
    assert.equal(masker.size, 2);
    assert.equal(masker.mask('a cat'), `${MASK} cat`);
    assert.equal(
      masker.mask('password: 42\nsudo -S <<< "42"; x=42,y'),
      `password: ${MASK}\nsudo -S <<< "${MASK}"; x=${MASK},y`,
    );
    assert.equal(masker.mask('cat 1420 a1 éa'), 'cat 1420 a1 éa', 'inside a word or number it stays');
    const punctuation = new Masker();
    punctuation.register('#!');
    assert.equal(punctuation.mask('pw #! end, x#!y'), `pw ${MASK} end, x#!y`);
  });

  it('masks string values deeply and leaves keys, numbers and the structure alone (hostile secrets)', () => {
    const masker = new Masker();
    for (const secret of ['1000', 'type', '"', '\\', '}']) masker.register(secret);
    const event = {
      type: 'stepOutput',
      uid: 1000,
      line: 'sudo password 1000 accepted for type check',
      nested: [{ quote: 'say " and \\ and }', type: 'type' }, 1000, true, null],
      '}': 'brace key',
    };
    const masked = masker.maskDeep(event);
    assert.deepEqual(masked, {
      type: 'stepOutput',
      uid: 1000,
      line: `sudo password ${MASK} accepted for ${MASK} check`,
      nested: [{ quote: `say ${MASK} and ${MASK} and ${MASK}`, type: MASK }, 1000, true, null],
      '}': 'brace key',
    });
    assert.notEqual(masked, event, 'a copy');
    assert.equal(event.line, 'sudo password 1000 accepted for type check', 'the original is untouched');
    // The serialized form stays valid JSON with every field, which masking the JSON text did not give.
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(masked)) as object), Object.keys(event));
    const viaJson = masker.mask(JSON.stringify(event));
    assert.throws(() => JSON.parse(viaJson), SyntaxError, 'the old way: masking serialized JSON breaks it');
  });
});

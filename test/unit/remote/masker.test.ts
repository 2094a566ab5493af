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

  it('ignores values too short to mask without destroying ordinary text', () => {
    const masker = new Masker();
    masker.register('a');
    assert.equal(masker.size, 0);
    assert.equal(masker.mask('a cat'), 'a cat');
  });
});

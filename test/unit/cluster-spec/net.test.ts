// The one IPv4 module: strict dotted quads and prefixes (no leading zeros), CIDR blocks and a-b ranges.
import assert from 'node:assert/strict';
import {
  contains,
  formatIPv4,
  isAddressOrHostname,
  isHostname,
  overlaps,
  parseCidr,
  parseCidrOrRange,
  parseIPv4,
  sizeOf,
} from '../../../src/cluster-spec/net';
import { BASE, check, codes, edit } from './helpers';

describe('net: IPv4 addresses, CIDRs and ranges', () => {
  it('reads strict dotted quads only', () => {
    assert.equal(formatIPv4(parseIPv4('172.25.252.11') ?? -1), '172.25.252.11');
    assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
    assert.equal(parseIPv4('0.0.0.0'), 0);
    for (const bad of [
      '10.0.0.256',
      '010.0.0.1', // octal to BSD, decimal to others: rejected, as Go and Kubernetes do
      '10.0.0.01',
      '0x0a.0.0.1',
      '10.1',
      '167772161',
      ' 10.0.0.1',
      '10.0.0.1 ',
      '10.0.0.1.',
      '1e1.0.0.1',
      '',
    ])
      assert.equal(parseIPv4(bad), undefined, bad);
  });

  it('reads CIDRs with a prefix 0-32 without leading zeros; host bits are ignored', () => {
    assert.deepEqual(parseCidr('172.25.252.7/24'), {
      first: parseIPv4('172.25.252.0'),
      last: parseIPv4('172.25.252.255'),
      prefix: 24,
    });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { first: 0, last: 0xffffffff, prefix: 0 });
    assert.equal(sizeOf(parseCidr('10.0.0.5/32')!), 1);
    assert.equal(sizeOf(parseCidr('10.0.0.0/8')!), 2 ** 24);
    for (const bad of [
      '10.0.0.0/08',
      '10.0.0.0/033',
      '10.0.0.0/33',
      '10.0.0.0/',
      '10.0.0.0/+8',
      '010.0.0.0/8',
    ])
      assert.equal(parseCidr(bad), undefined, bad);
  });

  it('reads a-b ranges (spaces around the dash allowed, first not above last) and CIDRs alike', () => {
    const range = parseCidrOrRange('10.0.0.5 - 10.0.0.9');
    assert.deepEqual(range, { first: parseIPv4('10.0.0.5'), last: parseIPv4('10.0.0.9') });
    assert.equal(sizeOf(range!), 5);
    assert.equal(parseCidrOrRange('10.0.0.9-10.0.0.5'), undefined);
    assert.equal(parseCidrOrRange('10.0.0.1-10.0.0.2-10.0.0.3'), undefined);
    assert.equal(parseCidrOrRange('10.0.0.0/24')?.last, parseIPv4('10.0.0.255'));
    assert.equal(parseCidrOrRange('10.0.0.0/08'), undefined);
    assert.ok(contains(range!, parseIPv4('10.0.0.9')!));
    assert.ok(!contains(range!, parseIPv4('10.0.0.10')!));
    assert.ok(overlaps(range!, parseCidr('10.0.0.8/29')!));
    assert.ok(!overlaps(range!, parseCidr('10.0.0.16/29')!));
  });

  it('tells host names from addresses', () => {
    for (const good of ['ntp.example.com', 'NTP.Example.com.', 'localhost', '1a.example'])
      assert.ok(isHostname(good) && isAddressOrHostname(good), good);
    for (const bad of ['-a.example', 'a..b', 'a_b', `${'a'.repeat(64)}.example`, '10.0.0', ''])
      assert.ok(!isHostname(bad), bad);
    assert.ok(isAddressOrHostname('10.0.0.1'));
    assert.ok(!isAddressOrHostname('10.0.0.256'));
  });

  it('the validator applies the same rule: a leading zero in a prefix or an octet is GC108 / GC102', () => {
    assert.deepEqual(
      codes(check(edit(BASE, 'subnet: 172.25.252.0/24', 'subnet: 172.25.252.0/024'), { offline: true })),
      ['GC108'],
    );
    assert.deepEqual(
      codes(check(edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252.012'), { offline: true })),
      ['GC102'],
    );
  });
});

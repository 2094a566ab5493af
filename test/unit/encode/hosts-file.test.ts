import assert from 'node:assert/strict';
import { hostsLine, withHostsEntries } from '../../../src/encode';

describe('encode: /etc/hosts', () => {
  it('writes only an address and a hostname', () => {
    assert.equal(hostsLine('10.0.0.12', 'gw-2'), '10.0.0.12 gw-2');
    for (const [address, name] of [
      ['10.0.0.12 evil', 'gw-2'],
      ['10.0.0.12', 'gw-2\n10.0.0.66 gw-1'],
      ['10.0.0.12', 'gw-2 # comment'],
      ['010.0.0.12', 'gw-2'],
    ])
      assert.throws(() => hostsLine(address!, name!));
  });

  it('maps each name to its address, moving it off a wrong line, keeping the rest; twice is the same', () => {
    const before = [
      '127.0.0.1 localhost',
      '127.0.1.1 gateway-node',
      '10.0.0.99 gw-2 backup-host # old',
      '',
      '# IPv6',
      '::1 ip6-localhost',
      '',
    ].join('\n');
    const entries = [
      ['10.0.0.12', 'gw-2'],
      ['10.0.0.13', 'gw-3'],
    ] as const;
    const after = withHostsEntries(before, entries);
    assert.equal(
      after,
      [
        '127.0.0.1 localhost',
        '127.0.1.1 gateway-node',
        '10.0.0.99 backup-host # old',
        '',
        '# IPv6',
        '::1 ip6-localhost',
        '10.0.0.12 gw-2',
        '10.0.0.13 gw-3',
        '',
      ].join('\n'),
    );
    assert.equal(withHostsEntries(after, entries), after);
  });
});

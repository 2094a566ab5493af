// Proxy values as the nodes get them: strict proxy URLs, NO_PROXY entries, and credentials that never show.
import assert from 'node:assert/strict';
import { validateText } from '../../../src/cluster-spec';
import { isNoProxyEntry, parseProxyUrl } from '../../../src/cluster-spec/proxy-url';
import { BASE, check, codes, edit } from './helpers';

const HTTP = 'http: http://proxy.example.com:3128';
const HTTPS = 'https: http://proxy.example.com:3128';

describe('spec: proxy values', () => {
  it('reads proxy URLs: scheme, host, optional port, an empty path or "/", optional credentials', () => {
    assert.deepEqual(parseProxyUrl('http://proxy.example.com:3128'), {
      scheme: 'http',
      host: 'proxy.example.com',
      port: 3128,
      hasCredentials: false,
    });
    assert.deepEqual(parseProxyUrl('https://10.0.0.1/'), {
      scheme: 'https',
      host: '10.0.0.1',
      hasCredentials: false,
    });
    assert.equal(
      (parseProxyUrl('http://u:p%40ss@proxy:8080') as { hasCredentials: boolean }).hasCredentials,
      true,
    );
    for (const bad of [
      'proxy.example.com:3128',
      'ftp://proxy.example.com',
      'HTTP://proxy.example.com',
      'http://proxy.example.com:3128/$(touch${IFS}/tmp/pwned)',
      'http://proxy.example.com:3128/path',
      'http://proxy.example.com:3128?a=1',
      'http://proxy.example.com:3128#x',
      'http://proxy.example.com:0',
      'http://proxy.example.com:65536',
      'http://proxy.example.com:03128',
      'http://:3128',
      'http://123:3128', // a URL parser reads 0.0.0.123
      'http://0x7f.1:3128', // and 127.0.0.1
      'http://010.0.0.1:3128',
      'http://[::1]:3128',
      'http://u:p$ss@proxy:3128',
      'http://u@v@proxy:3128',
      'http://u:%zz@proxy:3128',
      'http://proxy.example.com:3128 ',
    ])
      assert.ok('problem' in parseProxyUrl(bad), bad);
  });

  it('reads NO_PROXY entries: addresses, CIDRs, host names and .domain suffixes only', () => {
    for (const good of ['10.0.0.1', '172.25.252.0/24', 'localhost', 'registry.example.com', '.example.com'])
      assert.ok(isNoProxyEntry(good), good);
    for (const bad of [
      '$(reboot)',
      'a;b',
      '*',
      'example.com:443',
      '10.0.0.0/08',
      '..example.com',
      '.',
      '',
      'a b',
    ])
      assert.ok(!isNoProxyEntry(bad), bad);
  });

  it('credentials in a URL are one GC150 per URL, and no message or fix carries them', () => {
    for (const written of [
      'http://gw:s3cret@proxy.example.com:3128',
      'http://gw:s3cret@proxy.example.com:3128/$(x)', // malformed: GC161, masked
      'gw:s3cret@proxy.example.com:3128', // no scheme: GC161, masked
    ]) {
      const text = edit(edit(BASE, HTTP, `http: "${written}"`), HTTPS, `https: "${written}"`);
      const findings = check(text, { offline: true });
      assert.ok(findings.length === 2, JSON.stringify(codes(findings)));
      assert.ok(!JSON.stringify(findings).includes('s3cret'), JSON.stringify(findings));
    }
    // The GC160 fix copies the other URL without its credentials.
    const onlyHttp = edit(
      edit(BASE, HTTP, 'http: http://gw:s3cret@proxy.example.com:3128'),
      `      ${HTTPS}\n`,
      '',
    );
    const gc160 = check(onlyHttp, { offline: true }).find((f) => f.code === 'GC160');
    assert.deepEqual(gc160?.fix, {
      kind: 'insertProxy',
      key: 'https',
      value: 'http://proxy.example.com:3128',
    });
  });

  it('credentialsSecret names the secret; the model carries it', () => {
    const text = edit(BASE, '      noProxy:', '      credentialsSecret: dc1-proxy\n      noProxy:');
    const result = validateText(text, 'cluster.yaml', { offline: true });
    assert.deepEqual(codes(result.findings), []);
    assert.equal(result.documents[0]?.model?.network.proxy?.credentialsSecret, 'dc1-proxy');
  });
});

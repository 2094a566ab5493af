// The load-balanced topology's encoders: a haproxy.cfg word is written as it is or refused (never escaped),
// and a response-file line carries its value exactly or is refused, without repeating the value (a secret).
import assert from 'node:assert/strict';
import { haproxyLine, haproxyWord, responseFile } from '../../../src/encode';
import { HOSTILE_VALUES } from '../../support/hostile-values';

const PLAIN = /^[A-Za-z0-9._~%/:@+=,?*-]+$/;

describe('encode: haproxy.cfg words', () => {
  it('writes plain words as they are and joins a line with one space', () => {
    assert.equal(haproxyWord('/etc/haproxy/gateway-ca.pem'), '/etc/haproxy/gateway-ca.pem');
    assert.equal(
      haproxyLine(true, 'server', 'mgw-1', '10.0.0.11:4480', 'check-sni', 'mgw-1'),
      '    server mgw-1 10.0.0.11:4480 check-sni mgw-1',
    );
    assert.equal(haproxyLine(false, 'backend', 'gateways'), 'backend gateways');
  });

  it('refuses every hostile value that is not plain (a blank, a quote, #, $, a backslash, a line break…)', () => {
    let refused = 0;
    for (const { name, value } of HOSTILE_VALUES) {
      if (PLAIN.test(value)) {
        assert.equal(haproxyWord(value), value, name);
        continue;
      }
      assert.throws(() => haproxyWord(value), /is not a plain haproxy\.cfg word/, name);
      refused++;
    }
    assert.ok(refused >= HOSTILE_VALUES.length - 2, `refused ${refused} of ${HOSTILE_VALUES.length}`);
    for (const bad of ['', 'a b', 'x#y', '"q"', "it's", 'a\\b', '$(id)', 'a\nb'])
      assert.throws(() => haproxyWord(bad), /is not a plain/, JSON.stringify(bad));
  });
});

describe('encode: response files', () => {
  it("writes the seed's Key=value lines, values exactly as given", () => {
    assert.equal(
      responseFile([
        ['ManagementAgentInstallKey', 'k3y/+=abc'],
        ['FreeFormTags', '[{"GatewayGroup":"GatewayCluster"}]'],
        ['GatewayPassword', `p@ss $(id) 'x' "y"`],
      ]),
      'ManagementAgentInstallKey=k3y/+=abc\nFreeFormTags=[{"GatewayGroup":"GatewayCluster"}]\nGatewayPassword=p@ss $(id) \'x\' "y"\n',
    );
  });

  it('refuses what a line cannot carry faithfully, and never repeats the value', () => {
    for (const value of [
      'pass\nInjected=1',
      'pa\rss',
      'nul\u0000',
      'back\\slash',
      ' leading',
      'trailing ',
      'tab\there',
    ]) {
      assert.throws(
        () => responseFile([['GatewayPassword', value]]),
        (error: Error) =>
          !error.message.includes(value.trim() || value) && /GatewayPassword/.test(error.message),
        JSON.stringify(value),
      );
    }
    assert.throws(() => responseFile([['Bad Key', 'x']]), /not a response-file key/);
  });
});

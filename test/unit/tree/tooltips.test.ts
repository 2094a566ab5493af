import assert from 'node:assert/strict';
import { clusterTooltip, markdownCode, markdownText } from '../../../src/tree/core';

describe('tree: tooltips', () => {
  it('keeps code spans literal (no backslashes shown) and escapes plain text', () => {
    const md = clusterTooltip({
      name: 'gateway-cluster-demo',
      health: 'not joined: 0 of 3',
      specPath: '/root/.cache/gateway-cluster-demo/workspace/cluster.yaml',
      documentIndex: 0,
      apiServer: 'https://10.250.0.11:16443',
      specChartVersion: '0.9.6',
      connected: true,
    });
    assert.match(md, /Spec: `\/root\/\.cache\/gateway-cluster-demo\/workspace\/cluster\.yaml`/);
    assert.match(md, /API: `https:\/\/10\.250\.0\.11:16443`/);
    assert.match(md, /^\*\*gateway\\-cluster\\-demo\*\* — not joined: 0 of 3/);
    assert.match(md, /Charts in the spec: 0\\\.9\\\.6/, 'the spec’s version, named as such');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownText('1.2'), '1\\.2');
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

describe('package manifest', () => {
  it('names the extension as the product does', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      name: string;
      displayName: string;
    };
    assert.equal(manifest.name, 'gateway-cluster');
    assert.equal(manifest.displayName, 'Gateway Clusters');
  });
});

import assert from 'node:assert/strict';
import { cursorContext, hoverTarget, shapeOf } from '../../../src/language/core/yaml-locate';
import { specWith } from './fixtures';

const SPEC = specWith(
  '  topology: ha', // 5
  '  nodes:', // 6
  '    - hostname: gw-1', // 7
  '      address: 10.0.0.11', // 8
  '      ', // 9
  '    - hostname: gw-2', // 10
  '      ssh: { user: a }', // 11
  '    - ', // 12
  '  network:', // 13
  '    subnet: 10.0.0.0/24', // 14
  '    nameservers:', // 15
  '      - 10.0.0.2', // 16
  '  ', // 17
  '', // 18
);

describe('language: cursor → spec path', () => {
  it('reads the shape of a line: dashes, key, rest', () => {
    const shape = shapeOf('    - hostname: gw-1  # first');
    assert.deepEqual(
      shape.openers.map((o) => [o.kind, o.col, o.key, o.rest]),
      [
        ['dash', 4, undefined, 'hostname: gw-1'],
        ['key', 6, 'hostname', 'gw-1'],
      ],
    );
  });

  it('a blank line inside a list item writes keys of that item, knowing the ones present', () => {
    const context = cursorContext(SPEC, 9, 6);
    assert.equal(context.kind, 'key');
    assert.deepEqual(context.path, ['spec', 'nodes', 0]);
    assert.deepEqual([...context.existingKeys].sort(), ['address', 'hostname']);
  });

  it('a new dash starts the next item of the list', () => {
    const context = cursorContext(SPEC, 12, 6);
    assert.deepEqual(context.path, ['spec', 'nodes', 2]);
    assert.equal(context.newListItem, true);
    assert.deepEqual(context.existingKeys, []);
  });

  it('after a key and its colon the cursor writes that key value', () => {
    const context = cursorContext(SPEC, 5, 13);
    assert.equal(context.kind, 'value');
    assert.deepEqual(context.path, ['spec', 'topology']);
    assert.deepEqual(context.word, { text: 'ha', start: 12, end: 14 });
  });

  it('keys of spec at its indentation, and of the root at column 0', () => {
    const spec = cursorContext(SPEC, 17, 2);
    assert.deepEqual(spec.path, ['spec']);
    assert.deepEqual([...spec.existingKeys].sort(), ['network', 'nodes', 'topology']);
    const root = cursorContext(SPEC, 18, 0);
    assert.deepEqual(root.path, []);
    assert.deepEqual([...root.existingKeys].sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('compact lists (dash at the key column) and later documents', () => {
    const text = 'a: 1\n---\nspec:\n  nodes:\n  - hostname: x\n    \n';
    const context = cursorContext(text, 5, 4);
    assert.equal(context.documentIndex, 1);
    assert.deepEqual(context.path, ['spec', 'nodes', 0]);
    assert.deepEqual(context.existingKeys, ['hostname']);
  });

  it('hover finds keys, values and scalar list items', () => {
    assert.deepEqual(hoverTarget(SPEC, 14, 6), {
      kind: 'key',
      path: ['spec', 'network', 'subnet'],
      start: 4,
      end: 10,
    });
    const value = hoverTarget(SPEC, 8, 18);
    assert.equal(value?.kind, 'value');
    assert.deepEqual(value?.path, ['spec', 'nodes', 0, 'address']);
    assert.equal(value?.value, '10.0.0.11');
    assert.deepEqual(hoverTarget(SPEC, 16, 10)?.path, ['spec', 'network', 'nameservers', 0]);
    assert.equal(hoverTarget(SPEC, 11, 14), undefined, 'flow mappings are not looked into');
  });
});

// The input box of a reset's or delete's second confirmation: the list was in the modal before it, so its
// title must stand alone (it said "Reset lab-gateways? It undoes 6 things:" with no list under it).
import assert from 'node:assert/strict';
import { typedNameBox } from '../../../src/editor/typed-name';
import type { Confirmation } from '../../../src/ops';

const reset: Confirmation & { kind: 'reset' } = {
  kind: 'reset',
  node: 'gw-1',
  title: 'Reset lab-gateways? It undoes 6 things:',
  detail: '• uninstall the release gateway-manager\n• disable the dns add-on',
  answer: 'lab-gateways',
  undoes: 6,
};

describe('editor: the typed-name confirmation box', () => {
  it('titles a reset or delete with what to type and how much it undoes, never a line that announces a list', () => {
    const box = typedNameBox(reset);
    assert.equal(box.title, 'Type lab-gateways to reset it (6 things undone)');
    assert.doesNotMatch(`${box.title} ${box.prompt}`, /:\s*$/);
    assert.equal(
      typedNameBox({ ...reset, kind: 'delete', undoes: 1 }).title,
      'Type lab-gateways to delete it (1 thing undone)',
    );
  });

  it('keeps a forced removal’s question and consequences in the box (no modal comes before it)', () => {
    const box = typedNameBox({
      kind: 'forceRemove',
      node: 'gw-3',
      title: 'Remove gw-3 by force?',
      detail: 'Its data on the node stays.',
      answer: 'gw-3',
    });
    assert.deepEqual(box, {
      title: 'Remove gw-3 by force?',
      prompt: 'Its data on the node stays. Type gw-3 to confirm.',
    });
  });
});

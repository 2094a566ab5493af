// Codicons (the font is loaded by the page); decorative, so hidden from screen readers.
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { StepState } from '../src/wizards/protocol.js';
import { STATE_LOOK } from './view-model.js';

export const icon = (name: string, extraClass = ''): TemplateResult =>
  html`<span class="codicon codicon-${name} ${extraClass}" aria-hidden="true"></span>`;

/** A step's or node's state as an icon with its words as a tooltip (the words also show beside it). */
export function stateIcon(state: StepState): TemplateResult {
  const look = STATE_LOOK[state];
  const spin = state === 'running' ? 'codicon-modifier-spin' : '';
  return html`<span
    class="codicon codicon-${look.icon} state-icon state-${state} ${spin}"
    aria-hidden="true"
    title=${look.label}
  ></span>`;
}

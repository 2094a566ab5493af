// Test helpers: variants of the contract's example and exact ranges computed from the text itself.
import assert from 'node:assert/strict';
import {
  EXAMPLE_HA_SPEC,
  validateText,
  type Finding,
  type Range,
  type ValidateOptions,
} from '../../../src/cluster-spec';

export const BASE = EXAMPLE_HA_SPEC;

/** Replaces `from` (which must occur) with `to`. */
export function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the text should contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** Findings with the file's identity files present and no machine checks unless asked. */
export function check(text: string, options: ValidateOptions = {}, fileName = 'cluster.yaml'): Finding[] {
  return validateText(text, fileName, { fileExists: () => true, homeDir: '/home/test', ...options }).findings;
}

/** The 0-based range of the `occurrence`-th (1-based) `needle` in `text` (or of `within`, inside it). */
export function rangeOf(text: string, needle: string, occurrence = 1, within?: string): Range {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `occurrence ${occurrence} of ${JSON.stringify(needle)} should exist`);
  }
  const inner = within === undefined ? 0 : needle.indexOf(within);
  assert.ok(inner >= 0, `${JSON.stringify(within)} should be inside ${JSON.stringify(needle)}`);
  const length = within === undefined ? needle.length : within.length;
  return { start: position(text, offset + inner), end: position(text, offset + inner + length) };
}

export function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function codes(findings: Finding[]): string[] {
  return findings.map((finding) => finding.code);
}

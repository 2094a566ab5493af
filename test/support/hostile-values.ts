// Hostile values for every spec field that can reach a node or a file on it: shell command substitution and
// separators, quotes, control characters, Unicode look-alikes and sheer length. The spec side requires each to
// be an error (test/unit/cluster-spec/hostile-values.test.ts); the operations side can use the same list to
// show that whatever does get through round-trips exactly through /bin/sh.

export interface HostileValue {
  /** What the value tries, for test titles. */
  name: string;
  value: string;
}

export const HOSTILE_VALUES: readonly HostileValue[] = [
  { name: 'command substitution', value: '$(touch /tmp/pwned)' },
  { name: 'command substitution with ${IFS}', value: '$(touch${IFS}/tmp/pwned)' },
  { name: 'backticks', value: '`reboot`' },
  { name: 'semicolon', value: 'x;reboot' },
  { name: 'ampersand', value: 'x&reboot' },
  { name: 'double ampersand', value: 'x&&reboot' },
  { name: 'pipe', value: 'x|sh' },
  { name: 'redirection', value: 'x>/etc/passwd' },
  { name: 'single quote', value: "x'y" },
  { name: 'double quote', value: 'x"y' },
  { name: 'variable', value: '${HOME}' },
  { name: 'IFS alone', value: 'a${IFS}b' },
  { name: 'space', value: 'x reboot' },
  { name: 'newline', value: 'x\nreboot' },
  { name: 'carriage return', value: 'x\rreboot' },
  { name: 'tab', value: 'x\treboot' },
  { name: 'NUL', value: 'x\u0000y' },
  { name: 'escape sequence', value: 'x\u001b[2Jy' },
  { name: 'Cyrillic look-alike', value: 'gаteway' }, // U+0430, not "a"
  { name: 'fullwidth semicolon', value: 'x\uff1breboot' },
  { name: 'fullwidth dollar', value: '\uff04(reboot)' },
  { name: 'zero-width space', value: 'gw\u200b1' },
  { name: 'right-to-left override', value: 'gw\u202e1' },
  { name: 'non-breaking space', value: 'x\u00a0y' },
  { name: 'glob', value: '*' },
  { name: '10,000 characters', value: 'a'.repeat(10_000) },
];

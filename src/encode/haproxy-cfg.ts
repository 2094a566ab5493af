// Words of haproxy.cfg. HAProxy splits a line on blanks and gives quotes, `\`, `#` and `$` (in double quotes)
// a meaning of their own; the values the spec puts there are plain by validation (GC100, GC102, GC209, GC210),
// so a word is written as it is and anything else is refused rather than escaped.
const PLAIN = /^[A-Za-z0-9._~%/:@+=,?*-]+$/;

/** `value` as one haproxy.cfg word; throws for a value HAProxy would read as something else. */
export function haproxyWord(value: string): string {
  if (!PLAIN.test(value)) throw new Error(`${JSON.stringify(value)} is not a plain haproxy.cfg word.`);
  return value;
}

/** A configuration line: an indent and the words, each checked. */
export function haproxyLine(indent: boolean, ...words: Array<string | number>): string {
  const line = words.map((word) => haproxyWord(String(word))).join(' ');
  return indent ? `    ${line}` : line;
}

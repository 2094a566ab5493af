// The one quoting function for every value that reaches a remote shell (POSIX single-quote style).

/**
 * Quotes a value for a POSIX shell so that it arrives as exactly one word with exactly these bytes.
 * Valid UTF-8 goes inside single quotes ('\'' for a quote). Bytes that are not valid UTF-8 cannot travel in
 * an SSH command string (it is UTF-8 text), so each becomes "$(printf '\ooo')", which POSIX shells expand
 * inside the same word. NUL bytes cannot be part of a shell word at all and are refused.
 */
export function shellQuote(value: string | Buffer): string {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new Error('shellQuote: a shell word cannot contain a NUL byte');
    return quoteText(value);
  }
  if (value.includes(0)) throw new Error('shellQuote: a shell word cannot contain a NUL byte');
  if (value.length === 0) return "''";
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < value.length) {
    const length = utf8SequenceLength(value, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (i > runStart) out += quoteText(value.subarray(runStart, i).toString('utf8'));
    out += `"$(printf '\\${value[i]!.toString(8).padStart(3, '0')}')"`;
    i += 1;
    runStart = i;
  }
  if (runStart < value.length) out += quoteText(value.subarray(runStart).toString('utf8'));
  return out;
}

/** Joins an argv array into one command line, every element quoted. */
export function joinArgv(argv: ReadonlyArray<string | Buffer>): string {
  return argv.map(shellQuote).join(' ');
}

function quoteText(text: string): string {
  if (text === '') return "''";
  // Plain words stay readable in transcripts and dry runs.
  if (/^[A-Za-z0-9_@%+:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Length of the well-formed UTF-8 sequence starting at i, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// A remote command's output line as text: tools colour their output for a terminal (`microk8s inspect`
// prints `\x1b[31m FAIL: \x1b[0m`), and the wizard, the transcript and the CLI's JSON show the escape codes as
// garbage. Parsers read the raw output; only the lines shown and recorded are made plain.

/* eslint-disable no-control-regex -- control characters are what these expressions are about */
// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), other two-byte ESC sequences, then what control
// characters remain (tab kept; a carriage return's overwrite is a terminal's business, not a line's).
const TERMINAL_CODES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;
/* eslint-enable no-control-regex */

export function plainOutputLine(line: string): string {
  return CONTROL.test(line) ? line.replace(TERMINAL_CODES, '') : line;
}

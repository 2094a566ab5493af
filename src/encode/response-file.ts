// The response files of the management gateway's and agent's setup scripts (`setupGateway.sh opts=FILE`,
// `setup.sh opts=FILE`): one `Key=value` per line, as the seed writes them. The value runs to the end of the
// line, so a line break, a control character or a backslash (an escape in the Java properties the agent reads)
// cannot be carried faithfully: such a value is refused, never rewritten.
const KEY = /^[A-Za-z][A-Za-z0-9]*$/;

export function responseFile(entries: ReadonlyArray<readonly [string, string]>): string {
  return (
    entries
      .map(([key, value]) => {
        if (!KEY.test(key)) throw new Error(`"${key}" is not a response-file key.`);
        if (
          [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ||
          value.includes('\\')
        )
          throw new Error(`The value of ${key} holds a line break, a control character or a backslash.`);
        if (value !== value.trim()) throw new Error(`The value of ${key} starts or ends with a blank.`);
        return `${key}=${value}`;
      })
      .join('\n') + '\n'
  );
}

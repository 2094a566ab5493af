// GC181-GC182: the SSH login user and the identity file are plain values: a user name as useradd and systemd
// accept it, and a local path without control characters or the characters a shell would act on.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { LOCAL_PATH_MAX, NOT_IN_LOCAL_PATH } from '../grammars';
import { otherHostPaths } from './hosts';

/** 1-32 letters, digits, `.`, `_`, `-`, not starting with a digit, `.` or `-`. */
const USER = /^[A-Za-z_][A-Za-z0-9._-]{0,31}$/;

function sshBlocks(ctx: RuleContext): Array<Array<string | number>> {
  const blocks: Array<Array<string | number>> = [['spec', 'ssh']];
  const nodes = ctx.list(['spec', 'nodes']) ?? [];
  for (let index = 0; index < nodes.length; index++) blocks.push(['spec', 'nodes', index, 'ssh']);
  for (const host of otherHostPaths(ctx)) blocks.push([...host, 'ssh']);
  return blocks;
}

export function checkSsh(ctx: RuleContext): void {
  for (const block of sshBlocks(ctx)) {
    const userPath = [...block, 'user'];
    const user = ctx.string(userPath);
    if (user !== undefined && !USER.test(user)) {
      ctx.fail(
        'GC181',
        userPath,
        `ssh user ${quote(user)} is not a valid user name; use 1-32 letters, digits, ".", "_" or "-", starting with a letter or "_".`,
      );
    }
    const filePath = [...block, 'identityFile'];
    const file = ctx.string(filePath);
    if (file === undefined) continue;
    const bad = NOT_IN_LOCAL_PATH.exec(file)?.[0];
    if (file.length === 0 || file.length > LOCAL_PATH_MAX || bad !== undefined) {
      const why =
        bad !== undefined
          ? `it holds ${/[\p{Cc}\p{Cf}]/u.test(bad) ? `the control character U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(bad)}`
          : file.length === 0
            ? 'it is empty'
            : `it is longer than ${LOCAL_PATH_MAX} characters`;
      ctx.fail(
        'GC182',
        filePath,
        `identityFile ${quote(file)} is not a usable key path: ${why}; write the path of the private key, such as "~/.ssh/gateway_ed25519".`,
      );
    }
  }
}

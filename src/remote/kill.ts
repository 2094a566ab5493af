// Ending a remote command: its process group gets SIGTERM, then SIGKILL if it is still there after a grace.
import { shellQuote } from './quote';

/** Checks (0.1 s apart) between SIGTERM and SIGKILL. */
const KILL_GRACE_STEPS = 5;

/** Whether `pid` can name a process group we may kill (never init or a parse error). */
export function killablePid(pid: number | undefined): pid is number {
  return pid !== undefined && Number.isInteger(pid) && pid > 1;
}

/**
 * The command that kills process group `pid`: as root when the command ran under sudo, with the password on
 * stdin (`sudo -S`) when sudo needed one for it.
 */
export function killGroupCommand(pid: number, asRoot: boolean, sudoWithPassword: boolean): string {
  const g = `-${pid}`;
  const script =
    // `kill -s SIG -- -PGID` is the form both dash and bash accept for a process group.
    `kill -s TERM -- ${g} 2>/dev/null || exit 0; i=0; while [ $i -lt ${KILL_GRACE_STEPS} ]; do ` +
    `kill -s 0 -- ${g} 2>/dev/null || exit 0; sleep 0.1; i=$((i+1)); done; kill -s KILL -- ${g} 2>/dev/null; exit 0`;
  if (!asRoot) return `sh -c ${shellQuote(script)}`;
  return sudoWithPassword
    ? `sudo -k -S -p '' -- sh -c ${shellQuote(script)}`
    : `sudo -n -- sh -c ${shellQuote(script)}`;
}

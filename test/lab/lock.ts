// Who holds a lab name: several engineers (and test tiers) share one machine, and a second process's `up`
// or `down` of the same lab would tear down the first's mid-test. A lock folder holds the holder's PID; it is
// taken over when that process is gone (e.g. `npm run lab -- up` exits and leaves the lab to anyone), and a
// second process waits instead of failing.
import fs from 'node:fs';
import path from 'node:path';

const LOCK_ROOT = '/run/lock';

export async function lockLab(name: string, timeoutMs = 20 * 60_000): Promise<() => void> {
  const dir = path.join(LOCK_ROOT, `gateway-cluster-lab-${name}`);
  const pidFile = path.join(dir, 'pid');
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_ROOT, { recursive: true });
      fs.mkdirSync(dir);
      fs.writeFileSync(pidFile, String(process.pid));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(dir, { recursive: true, force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : 0);
    if (holder > 0 && !alive(holder)) {
      fs.rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`lab ${name} stayed in use by process ${holder}`);
    if (!told) {
      console.log(`lab ${name} is in use by another process (${holder}): waiting for it`);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, holder > 0 ? 1000 : 200));
  }
}

/** The PID holding the lab, if a live process does. */
export function labHolder(name: string): number | undefined {
  const pidFile = path.join(LOCK_ROOT, `gateway-cluster-lab-${name}`, 'pid');
  const holder = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : 0);
  return holder > 0 && alive(holder) ? holder : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

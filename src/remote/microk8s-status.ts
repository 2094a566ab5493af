// Parser for `microk8s status` (default format), as printed by canonical/microk8s scripts/wrappers/status.py.

export interface Microk8sStatus {
  running: boolean;
  highAvailability: boolean | undefined;
  /** Addresses with ports, e.g. '10.0.0.11:19001'. */
  datastoreMasters: string[];
  datastoreStandbys: string[];
  enabled: string[];
  disabled: string[];
}

export function parseMicrok8sStatus(text: string): Microk8sStatus {
  const status: Microk8sStatus = {
    running: /microk8s is running/.test(text),
    highAvailability: undefined,
    datastoreMasters: [],
    datastoreStandbys: [],
    enabled: [],
    disabled: [],
  };
  let section: 'enabled' | 'disabled' | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const ha = /^high-availability:\s*(yes|no)/.exec(line);
    if (ha) status.highAvailability = ha[1] === 'yes';
    const nodes = /^\s*datastore (master|standby) nodes:\s*(.*)$/.exec(line);
    if (nodes) {
      const list = nodes[2]!.trim() === 'none' ? [] : nodes[2]!.trim().split(/\s+/).filter(Boolean);
      if (nodes[1] === 'master') status.datastoreMasters = list;
      else status.datastoreStandbys = list;
      continue;
    }
    const header = /^\s*(enabled|disabled):\s*$/.exec(line);
    if (header) {
      section = header[1] as 'enabled' | 'disabled';
      continue;
    }
    if (/^\S/.test(line)) section = undefined;
    const addon = /^\s{4,}([a-z0-9-]+)\b/.exec(line);
    if (section && addon) status[section].push(addon[1]!);
  }
  return status;
}

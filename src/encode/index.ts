// Values encoded for their reader: a shell word, a line of a file a shell sources, an /etc/hosts line.
export { shellQuote, joinArgv } from './shell';
export { shellAssignment, withAssignments } from './env-file';
export { hostsLine, withHostsEntries } from './hosts-file';

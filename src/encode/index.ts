// Values encoded for their reader: a shell word, a line of a file a shell sources, an /etc/hosts line, a
// haproxy.cfg word, a response-file line.
export { shellQuote, joinArgv } from './shell';
export { shellAssignment, withAssignments } from './env-file';
export { hostsLine, withHostsEntries } from './hosts-file';
export { haproxyLine, haproxyWord } from './haproxy-cfg';
export { responseFile } from './response-file';

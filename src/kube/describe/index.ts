// kubectl describe's human format, rendered from API objects (no kubectl, no client): pods and nodes.
export { describePod } from './pod';
export type { DescribeOptions } from './pod';
export { describeNode } from './node';
export type { NodeDescribeInput } from './node';
export { humanDuration, rfc1123z, since } from './format';
export { tabwrite } from './tabwriter';

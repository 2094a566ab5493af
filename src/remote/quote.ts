// Moved: the shell encoding lives in src/encode/shell.ts (one quoting function for every reader).
export { shellQuote, joinArgv } from '../encode/shell';

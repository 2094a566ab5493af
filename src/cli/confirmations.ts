// The questions an operation asks before it changes anything (the catalog's `confirmations`): --yes answers
// them; otherwise they are asked on a terminal, and without one the command ends with exit 2 naming them.
import { confirmationQuestions, type OperationInfo } from '../ops/catalog';
import { CliError, EXIT } from './exit';
import type { Terminal } from './terminal';

export async function confirmOperation(
  operation: string,
  info: OperationInfo,
  answers: { yes: boolean; node?: string; cluster?: string; topology?: string },
  terminal: Terminal,
): Promise<void> {
  for (const question of confirmationQuestions(info, answers)) {
    if (answers.yes) continue;
    if (!terminal.interactive) {
      throw new CliError(
        EXIT.usage,
        `${operation} asks for a confirmation and there is no terminal to answer it: "${question}". ` +
          'Pass --yes to confirm; nothing was run.',
      );
    }
    if (!(await terminal.confirm(question)))
      throw new CliError(EXIT.usage, `not confirmed: "${question}"; nothing was run.`);
  }
}

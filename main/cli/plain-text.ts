// The CLI's side of the plain-text rule (#shared/prompt/plain-text): a prompt given on the command line
// with a control character in it (an escape sequence pasted from a terminal, say) is refused before the
// command runs, naming the argument, as the app's API refuses it.
import type { Command } from 'commander';
import { controlCharacterProblem } from '#shared/prompt/plain-text';
import { UserError } from '../core/errors';

const PROMPT_ARGUMENTS = new Set(['prompt', 'text']);
const PROMPT_OPTIONS = new Set(['negative', 'sourcePrompt', 'from', 'to']);

/** Throws a UserError when a prompt argument or option of the command about to run is not plain text. */
export function checkPromptText(command: Command): void {
  const given: [string, unknown][] = [
    ...command.registeredArguments.flatMap((a, i): [string, unknown][] =>
      PROMPT_ARGUMENTS.has(a.name()) ? [[`<${a.name()}>`, command.processedArgs[i]]] : [],
    ),
    ...command.options.flatMap((o): [string, unknown][] =>
      PROMPT_OPTIONS.has(o.attributeName()) ? [[o.long ?? o.name(), command.getOptionValue(o.attributeName())]] : [],
    ),
  ];
  for (const [name, value] of given) {
    const problem = typeof value === 'string' ? controlCharacterProblem(value) : null;
    if (problem) throw new UserError(`${name} ${problem}`);
  }
}

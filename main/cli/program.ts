// The `homegrown` command tree. Errors the user can fix print one line and exit 1; anything else is a bug
// and prints its stack.
import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors';
import { APP_VERSION } from '../core/version';
import { animateCommand } from './animate';
import { dbCommand } from './db';
import { demoCommand } from './demo';
import { doctorCommand } from './doctor';
import { editCommand } from './edit';
import { evalCommand } from './eval';
import { exportCommand } from './export';
import { inbetweenCommand } from './inbetween';
import { checkPromptText } from './plain-text';
import { infoCommand } from './info';
import { promptCommand } from './prompt';
import { sampleCommand } from './sample';
import { serveCommand } from './serve';
import { similarCommand } from './similar';
import { trainCommand } from './train';
import { walkCommand } from './walk';

export function buildProgram(): Command {
  const program = new Command('homegrown')
    .description('Train a small prompt-conditioned image generator on your own images.')
    .version(APP_VERSION)
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', (_program, action) => checkPromptText(action));
  for (const cmd of [trainCommand(), sampleCommand(), editCommand(), walkCommand(), animateCommand(), inbetweenCommand(), infoCommand(), evalCommand(), similarCommand(), demoCommand(), doctorCommand(), promptCommand(), dbCommand(), exportCommand(), serveCommand()]) program.addCommand(cmd.exitOverride());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof UserError) {
      process.stderr.write(`homegrown: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}


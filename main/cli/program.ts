// The `homegrown` command tree. Each command's module (and with it tfjs, sharp or SQLite) is imported
// only when that command runs, so `--version`, `--help` and `prompt parse` start at once. Errors the
// user can fix print one line and exit 1; anything else is a bug and prints its stack.
import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors';
import { APP_VERSION } from '../core/version';

interface CommandEntry {
  description: string;
  load(): Promise<Command>;
}

/** Every command: its one-line description (shown in `homegrown --help` and its own help) and its module. */
export const COMMANDS: Record<string, CommandEntry> = {
  train: {
    description: 'train a prompt-conditioned generator on a folder of images, or resume a run',
    load: async () => (await import('./train')).trainCommand(),
  },
  sample: { description: 'generate images from a trained run', load: async () => (await import('./sample')).sampleCommand() },
  edit: {
    description: 'encode an image with an ae or vae run and decode it towards a new prompt',
    load: async () => (await import('./edit')).editCommand(),
  },
  walk: {
    description: 'frames that move from one prompt and seed to another, as an animated GIF, WebP and sprite strip',
    load: async () => (await import('./walk')).walkCommand(),
  },
  animate: {
    description: 'predict an animation from a still with a flow run: frames, animated GIF and WebP, sprite strip',
    load: async () => (await import('./animate')).animateCommand(),
  },
  inbetween: {
    description: 'make frames between two frames with a flow run: frames, animated GIF and WebP, sprite strip',
    load: async () => (await import('./inbetween')).inbetweenCommand(),
  },
  info: {
    description: "show the compute backend in use and why, the recipe stored in an image, or a run folder's scores",
    load: async () => (await import('./info')).infoCommand(),
  },
  eval: {
    description:
      'measure generation quality: of a run folder at every checkpoint, of a run trained on --folder, or (neither) on synthetic colour × shape images',
    load: async () => (await import('./eval')).evalCommand(),
  },
  similar: {
    description: 'list the training images nearest to an image and flag it if it nearly copies one',
    load: async () => (await import('./similar')).similarCommand(),
  },
  demo: {
    description: 'train a small GAN on bundled OpenMoji symbols for a few minutes and write a sample sheet',
    load: async () => (await import('./demo')).demoCommand(),
  },
  doctor: {
    description: 'check a folder of images before training: what is used, what is skipped and why, and how to fix it',
    load: async () => (await import('./doctor')).doctorCommand(),
  },
  prompt: { description: 'parse, expand and check prompts', load: async () => (await import('./prompt')).promptCommand() },
  db: { description: 'back up or check the Homegrown database', load: async () => (await import('./db')).dbCommand() },
  export: {
    description: 'export images with their recipes: to a folder or zip with a manifest, or as a sprite sheet',
    load: async () => (await import('./export')).exportCommand(),
  },
  serve: {
    description: 'serve the app to a browser (binds 127.0.0.1 unless --host is given; every request needs the printed token)',
    load: async () => (await import('./serve')).serveCommand(),
  },
  runs: {
    description: "list the app's runs, or add a run folder made elsewhere to them",
    load: async () => (await import('./runs')).runsCommand(),
  },
};

/** The command a command line names (`homegrown help <command>` included), if any. */
function chosenCommand(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}

/**
 * The program with the named command loaded in full; without one (`--help`, `--version`, a typo) every
 * command is listed by name and description only, loading nothing.
 */
export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('homegrown')
    .description('Train a small prompt-conditioned image generator on your own images.')
    .version(APP_VERSION)
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', async (_program, action) => (await import('./plain-text')).checkPromptText(action));
  const chosen = chosenCommand(argv);
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const cmd = name === chosen ? await entry.load() : new Command(name);
    program.addCommand(cmd.description(entry.description).exitOverride());
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv, { from: 'user' });
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

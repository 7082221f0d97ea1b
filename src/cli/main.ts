import { Command, CommanderError } from 'commander';
import { isPaperboyError, PaperboyError } from '../errors.js';
import { globalsOf } from './flags.js';
import {
  registerAdmin,
  registerBounces,
  registerDb,
  registerDemo,
  registerEditions,
  registerHelp,
  registerLists,
  registerPapers,
  registerPreview,
  registerSchedule,
  registerSend,
  registerServe,
  registerSubscribers,
} from './register/index.js';

/** The program: its global options, then each command (each declares its own flags, in the order --help lists them). */
function buildProgram(): Command {
  const program = new Command('paperboy')
    .description("A daily trending-papers newsletter: the day's papers in, a responsive email to every subscriber out.")
    .version('0.1.0')
    .option('--config <file>', 'config file (default: ./paperboy.config.json when present, or PAPERBOY_CONFIG)')
    .option('--data-dir <dir>', 'data directory with the SQLite store (default: subscribers, or PAPERBOY_DATA_DIR)')
    .option('--database-url <url>', 'a PostgreSQL store instead of the SQLite file (or PAPERBOY_DATABASE_URL)')
    .option(
      '--environment-file <file>',
      'read PAPERBOY_* settings from this KEY=VALUE file first, e.g. the EnvironmentFile of the systemd units (a Postfix pipe passes no environment); the environment wins',
    )
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(oneLineError(text)) })
    .helpCommand(false)
    .exitOverride();
  program.hook('preAction', () => loadEnvFile(globalsOf(program).environmentFile));
  registerPreview(program);
  registerServe(program);
  registerSend(program);
  registerSchedule(program);
  registerEditions(program);
  registerPapers(program);
  registerSubscribers(program);
  registerBounces(program);
  registerDb(program);
  registerDemo(program);
  registerLists(program);
  registerAdmin(program);
  registerHelp(program);
  return program;
}

/** The settings of --environment-file (named apart from Node's own --env-file, which Node takes wherever it appears), into the environment before any config is read; what is set already stays. */
function loadEnvFile(file: string | undefined): void {
  if (!file) return;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'it may not be read by this user' : (error as Error).message;
    throw new PaperboyError('CONFIG', `Cannot read --environment-file ${file}: ${why}.`);
  }
}

/** Commander's errors as one line with our prefix: "paperboy: unknown option '--x'; run paperboy --help for usage." */
function oneLineError(text: string): string {
  const message = text
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return `paperboy: ${message}${/[.)]$/.test(message) ? '' : '.'} Run paperboy --help for usage.\n`;
}

/** Runs the CLI; the only place that turns errors into exit codes. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help / version text).
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
    }
    if (isPaperboyError(error)) {
      process.stderr.write(`paperboy: ${error.message}\n`);
      return error.exitCode;
    }
    const failure = (await import('../db/index.js')).storeFailure(error);
    if (failure) {
      process.stderr.write(`paperboy: ${failure.message}\n`);
      return failure.exitCode;
    }
    process.stderr.write(`paperboy: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

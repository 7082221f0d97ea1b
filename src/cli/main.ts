import { Command, CommanderError } from 'commander';
import { isPaperboyError } from '../errors.js';
import { wholeNumber, type GlobalOptions } from './flags.js';

// Command modules are imported inside their actions, so `paperboy --help` loads nothing heavy.
function buildProgram(): Command {
  const program = new Command('paperboy')
    .description('A daily trending-papers newsletter: the day\'s papers in, a responsive email to every subscriber out.')
    .version('0.1.0')
    .option('--config <file>', 'config file (default: ./paperboy.config.json when present, or PAPERBOY_CONFIG)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command('preview')
    .description('render a digest for a sample recipient into digest.html, digest.txt and digest.eml')
    .option('--date <YYYY-MM-DD>', 'edition date (default: today in the configured time zone)')
    .option('--source <spec>', 'paper source: hf, sample or file:PATH')
    .option('--top <n>', 'how many papers', wholeNumber())
    .option('--out <dir>', 'output folder (default: preview)')
    .option('--templates <dir>', 'your own template folder')
    .option('--timezone <zone>', 'IANA time zone for "today"')
    .option('--json', 'print a machine-readable summary')
    .action(async (options) => (await import('./preview.js')).runPreview(options, globals()));

  return program;
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
    process.stderr.write(`paperboy: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}


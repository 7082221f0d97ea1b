import { Command, CommanderError } from 'commander';
import { PaperboyError, isPaperboyError } from '../errors.js';
import { commaList, repeated, wholeNumber, type GlobalOptions } from './flags.js';

// Command modules are imported inside their actions, so `paperboy --help` loads nothing heavy.
function buildProgram(): Command {
  const program = new Command('paperboy')
    .description('A daily trending-papers newsletter: the day\'s papers in, a responsive email to every subscriber out.')
    .version('0.1.0')
    .option('--config <file>', 'config file (default: ./paperboy.config.json when present, or PAPERBOY_CONFIG)')
    .option('--data-dir <dir>', 'data directory with the SQLite store (default: subscribers, or PAPERBOY_DATA_DIR)')
    .option('--database-url <url>', 'a PostgreSQL store instead of the SQLite file (or PAPERBOY_DATABASE_URL)')
    .option('--environment-file <file>', 'read PAPERBOY_* settings from this KEY=VALUE file first, e.g. the EnvironmentFile of the systemd units (a Postfix pipe passes no environment); the environment wins')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(oneLineError(text)) })
    .helpCommand(false)
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  program.hook('preAction', () => loadEnvFile(globals().environmentFile));

  program
    .command('preview')
    .description('render a digest for a sample recipient into digest.html, digest.txt and digest.eml')
    .option('--date <YYYY-MM-DD>', 'edition date (default: today in the configured time zone); with --weekly, any day of the week, or YYYY-Www')
    .option('--source <spec>', 'paper source: hf, sample or file:PATH')
    .option('--top <n>', 'how many papers', wholeNumber())
    .option('--out <dir>', 'output folder (default: preview)')
    .option('--templates <dir>', 'your own template folder')
    .option('--timezone <zone>', 'IANA time zone for "today"')
    .option('--json', 'print a machine-readable summary')
    .option('--screenshot', 'also save PNG screenshots at 375 px and 600 px, light and dark (needs Chromium)')
    .option('--weekly', 'the weekly roundup of the week containing --date (default: the last complete week)')
    .option('--alert <search>', 'preview as a reader with this saved search (repeat for more, up to 5)', repeated)
    .action(async (options) => (await import('./preview.js')).runPreview(options, globals()));

  program
    .command('serve')
    .description('the web side: subscribe, confirm, one-click unsubscribe, preferences, archive')
    .option('--port <port>', 'port (default: web.port, 8080)', wholeNumber(0))
    .option('--host <host>', 'address to listen on (default: web.host, 127.0.0.1)')
    .option('--dev', 'turn on the live template preview at /preview')
    .action(async (options) => (await import('./serve.js')).runServe(options, globals()));

  program
    .command('send')
    .description("create today's edition (or resume it) and deliver it to every active subscriber")
    .option('--list <list>', 'list to send to', 'default')
    .option('--date <YYYY-MM-DD>', 'edition date (default: by the configured rule and time zone); with --weekly, any day of the week, or YYYY-Www')
    .option('--weekly', "the weekly roundup (to weekly readers) of the week containing --date; default: the last complete week")
    .option('--source <spec>', 'paper source: hf, sample or file:PATH')
    .option('--transport <url>', 'smtp://…, smtps://…, outbox:DIR, json: or module:PATH')
    .option('--base-url <url>', 'public URL of paperboy serve, for unsubscribe and web links')
    .option('--top <n>', 'how many papers (a new edition only)', wholeNumber())
    .option('--dry-run', 'render every message, send and record nothing')
    .option('--retry-failed', "put the edition's failed messages (bounces excepted) back to waiting, then send")
    .option('--json', 'print the summary as JSON')
    .action(async (options) => (await import('./send.js')).runSend(options, globals()));

  program
    .command('schedule')
    .description('send on schedule.cron, and the weekly roundup on schedule.weeklyCron; read bounces.imap if set (no overlapping runs, stale runs skipped)')
    .option('--next [n]', 'print the next planned runs and exit', wholeNumber())
    .option('--json', 'with --next: print JSON')
    .action(async (options) => (await import('./schedule.js')).runSchedule(options, globals()));

  const editions = program.command('editions').description('past and current editions with their delivery counts');
  editions
    .command('list')
    .description('editions, newest first, with their delivery counts')
    .option('--list <list>', 'only this list')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./editions.js')).list(options, globals()));
  editions
    .command('show <date>')
    .description('one edition (a day YYYY-MM-DD, or a weekly roundup YYYY-Www): its papers, its counts, and why messages failed or wait')
    .option('--list <list>', 'list', 'default')
    .option('--failures', 'list every failed or waiting message with its reader and reason')
    .option('--json', 'print JSON')
    .action(async (date, options) => (await import('./editions.js')).show(date, options, globals()));

  const subscribers = program.command('subscribers').description('manage who receives the newsletter');
  const subscriberCommands = () => import('./subscribers.js');
  subscribers
    .command('add <email>')
    .description('add a subscriber (pending until confirmed, unless --confirmed)')
    .option('--name <name>', 'display name')
    .option('--list <list>', 'list to join', 'default')
    .option('--topics <a,b>', 'topics of interest', commaList)
    .option('--frequency <frequency>', 'daily (default), weekly (the Monday roundup) or alerts (only when an alert matches)')
    .option('--alert <search>', 'a saved search, e.g. "reinforcement learning agents" (repeat for more, up to 5)', repeated)
    .option('--confirmed', 'the person already confirmed: make them active')
    .option('--send-confirmation', 'mail them the confirmation link through the configured transport')
    .option('--resubscribe', 'allow re-activating someone who unsubscribed, bounced or complained')
    .option('--json', 'print JSON')
    .action(async (email, options) => (await subscriberCommands()).add(email, options, globals()));
  subscribers
    .command('remove <email>')
    .description('delete a subscriber and everything stored about them')
    .option('--json', 'print JSON')
    .action(async (email, options) => (await subscriberCommands()).remove(email, options, globals()));
  subscribers
    .command('unsubscribe <email>')
    .description('stop mail but keep the record (so no import re-adds them)')
    .option('--list <list>', 'only from this list')
    .option('--json', 'print JSON')
    .action(async (email, options) => (await subscriberCommands()).unsubscribe(email, options, globals()));
  subscribers
    .command('list')
    .description('list subscribers')
    .option('--list <list>', 'only members of this list')
    .option('--status <status>', 'pending, active, unsubscribed, bounced or complained')
    .option('--json', 'print JSON')
    .action(async (options) => (await subscriberCommands()).list(options, globals()));
  subscribers
    .command('show <email>')
    .description('show one subscriber')
    .option('--json', 'print JSON')
    .action(async (email, options) => (await subscriberCommands()).show(email, options, globals()));
  subscribers
    .command('import <file>')
    .description('import a CSV, or - for standard input (header row with email, name, topics, status, list, frequency, alerts; or those columns in that order)')
    .option('--list <list>', 'list for rows that name none', 'default')
    .option('--dry-run', 'check and count everything, write nothing')
    .option('--rejects <file>', 'write the invalid rows, with line and reason, to this CSV')
    .option('--resubscribe', 'allow rows to re-activate people who unsubscribed, bounced or complained')
    .option('--json', 'print the summary as JSON')
    .action(async (file, options) => (await subscriberCommands()).importFile(file, options, globals()));
  subscribers
    .command('export')
    .description('export subscribers as CSV (to stdout unless --out)')
    .option('--list <list>', 'only members of this list')
    .option('--status <status>', 'only this status')
    .option('--out <file>', 'write to a file')
    .action(async (options) => (await subscriberCommands()).exportFile(options, globals()));

  const bounces = program.command('bounces').description('bounces, complaints and auto-replies that come back after a send');
  bounces
    .command('ingest [paths...]')
    .description('read reports from .eml files, mboxes, Maildirs, or standard input (-), and act on those that prove whom they concern (exit 75 when the store is busy or down: try again)')
    .option('--dry-run', 'read and match them, record and change nothing')
    .option('--json', 'one JSON line per message')
    .action(async (paths, options) => (await import('./bounces.js')).ingest(paths, options, globals()));
  bounces
    .command('list')
    .description('the recorded events, newest first')
    .option('--since <date>', 'only those received from this day or time on')
    .option('--kind <kind>', 'bounce, complaint, auto-reply or not-bounce')
    .option('--limit <n>', 'at most this many (default 100)', wholeNumber())
    .option('--unverified', 'only reports that named a reader by address alone and changed nobody')
    .option('--held', 'only reports the inbound breaker held')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./bounces.js')).list(options, globals()));
  bounces
    .command('apply [ids...]')
    .description('act on reports kept back (unverified or held), as if they had been proven')
    .option('--held', 'every report the inbound breaker held')
    .option('--json', 'print JSON')
    .action(async (ids, options) => (await import('./bounces.js')).apply(ids, options, globals()));
  bounces
    .command('dismiss [ids...]')
    .description('drop reports kept back: they stay on record and change nobody')
    .option('--held', 'every report the inbound breaker held')
    .option('--json', 'print JSON')
    .action(async (ids, options) => (await import('./bounces.js')).dismiss(ids, options, globals()));
  bounces
    .command('watch')
    .description('read the IMAP mailbox of bounces.imap as reports arrive, moving each one read')
    .option('--once', 'read what is there now, then stop')
    .action(async (options) => (await import('./bounces.js')).watch(options, globals()));

  const db = program.command('db').description('the store: migrations, and moving from SQLite to PostgreSQL');
  db.command('migrate')
    .description('bring the store\'s schema up to date (opening it does this too)')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./db.js')).migrate(options, globals()));
  db.command('copy')
    .description('copy the SQLite store of the data directory into an empty PostgreSQL database')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user:pass@host/db')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./db.js')).copy(options, globals()));

  const demo = program.command('demo').description('the demo a fresh clone starts with: sample papers, five example.org readers');
  demo
    .command('clear')
    .description('remove the demo before going live: editions of the sample papers kept in the outbox, and the demo readers')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./demo.js')).clear(options, globals()));

  const lists = program.command('lists').description('manage named lists');
  const listCommands = () => import('./lists.js');
  lists
    .command('create <name>')
    .description('create a list (private unless --public)')
    .option('--description <text>', 'what the list is for')
    .option('--public', 'offer it on the preferences page (lists are private unless you say so)')
    .option('--json', 'print JSON')
    .action(async (name, options) => (await listCommands()).create(name, options, globals()));
  lists
    .command('list')
    .description('the lists, with their members')
    .option('--json', 'print JSON')
    .action(async (options) => (await listCommands()).list(options, globals()));
  lists
    .command('remove <name>')
    .description('remove a list that has no editions (its members stay subscribers)')
    .option('--json', 'print JSON')
    .action(async (name, options) => (await listCommands()).remove(name, options, globals()));

  program
    .command('help [command...]')
    .description('help for a command, e.g. paperboy help subscribers add')
    .action((words: string[]) => {
      let command: Command = program;
      for (const word of words) {
        const next = command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
        if (!next) throw new PaperboyError('USAGE', `Unknown command "${[...words.slice(0, words.indexOf(word)), word].join(' ')}"; the commands are ${command.commands.map((sub) => sub.name()).join(', ')}.`);
        command = next;
      }
      command.outputHelp();
    });

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
  const message = text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
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
    const failure = (await import('../db/errors.js')).storeFailure(error);
    if (failure) {
      process.stderr.write(`paperboy: ${failure.message}\n`);
      return failure.exitCode;
    }
    process.stderr.write(`paperboy: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}


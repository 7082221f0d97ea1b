import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { projectRoot, tempDir } from './cli.js';
import { freePort } from './ports.js';

export interface Postfix {
  /** The SMTP port of its listener on 127.0.0.1. */
  port: number;
  /** What it logged so far (maillog_file). */
  log(): string;
  /** Tries the deferred queue again at once. */
  flush(): void;
  stop(): Promise<void>;
}

/** Runs `postfix -c CONFIG …` (its fatal errors go to the maillog file). */
function postfix(config: string, ...args: string[]): void {
  execFileSync('postfix', ['-c', config, ...args], { stdio: 'pipe' });
}

/** Whether `nobody` (the pipe's user) can run `path`. */
const nobodyCanRead = (path: string) => {
  try {
    execFileSync('runuser', ['-u', 'nobody', '--', 'test', '-r', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * paperboy as the pipe's user can run it: the project itself when `nobody` can read it, else a
 * copy in a folder it can (a checkout under /root, say), with node beside it when node is not
 * readable either. Returns the command's argv before paperboy's own arguments.
 */
export function commandForNobody(into: string): string[] {
  const node = nobodyCanRead(process.execPath) ? process.execPath : copyTo(process.execPath, join(into, 'node'));
  if (nobodyCanRead(join(projectRoot, 'dist', 'src', 'cli', 'main.js')) && nobodyCanRead(join(projectRoot, 'node_modules', 'commander', 'package.json'))) {
    return [node, join(projectRoot, 'bin', 'paperboy.js')];
  }
  const copy = join(into, 'paperboy');
  for (const part of ['bin', 'dist', 'templates', 'node_modules', 'package.json']) cpSync(join(projectRoot, part), join(copy, part), { recursive: true });
  return [node, join(copy, 'bin', 'paperboy.js')];
}

function copyTo(file: string, to: string): string {
  cpSync(file, to);
  return to;
}

/**
 * A real Postfix of Debian's package, an instance of its own under a temporary folder (needs
 * root): an SMTP listener on loopback that relays mail for `domain` to a `pipe` transport
 * running `argv` as nobody, one recipient at a time, as docs/bounces.md sets it up, or that
 * queues mail for any domain from loopback and discards it (`'discard'`: a relay for a benchmark). Stopped (and its folder
 * removed) by stop().
 */
export async function startPostfix(domain: string, argv: string[] | 'discard'): Promise<Postfix> {
  if (userInfo().uid !== 0) throw new Error('Postfix needs root to start its master (the tests run as root in CI)');
  const dir = tempDir('paperboy-postfix-');
  const root = dir.path;
  const config = join(root, 'etc');
  chmodSync(root, 0o755); // its daemons run as the postfix user: they must reach the queue
  for (const sub of ['etc', 'queue', 'data']) mkdirSync(join(root, sub));
  chownSync(join(root, 'data'), Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim()), 0);
  const port = await freePort();
  writeFileSync(
    join(config, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${root}/queue`,
      `data_directory = ${root}/data`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      'myhostname = mx.test',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'mydestination =',
      `relay_domains = ${domain}`,
      ...(argv === 'discard' ? ['default_transport = discard', 'relay_transport = discard'] : [`transport_maps = inline:{ ${domain}=paperboy: }`]),
      'mynetworks = 127.0.0.0/8',
      'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
      'alias_maps =',
      'alias_database =',
      'smtputf8_enable = no',
      `maillog_file = ${root}/maillog`,
      `maillog_file_prefixes = ${root}`,
      'paperboy_destination_recipient_limit = 1',
      // A report the command defers (exit 75) is tried again at the next flush, not minutes later.
      'minimal_backoff_time = 1s',
      'maximal_backoff_time = 2s',
      'queue_run_delay = 1s',
      '',
    ].join('\n'),
  );
  // The pipe line as docs/bounces.md gives it; the rest is Postfix's stock master.cf, unchrooted.
  writeFileSync(
    join(config, 'master.cf'),
    [
      `127.0.0.1:${port} inet n - n - - smtpd`,
      'pickup unix n - n 60 1 pickup',
      'cleanup unix n - n - 0 cleanup',
      'qmgr unix n - n 300 1 qmgr',
      'rewrite unix - - n - - trivial-rewrite',
      'bounce unix - - n - 0 bounce',
      'defer unix - - n - 0 bounce',
      'trace unix - - n - 0 bounce',
      'verify unix - - n - 1 verify',
      'flush unix n - n 1000 0 flush',
      'proxymap unix - - n - - proxymap',
      'smtp unix - - n - - smtp',
      'relay unix - - n - - smtp',
      'error unix - - n - - error',
      'retry unix - - n - - error',
      'discard unix - - n - - discard',
      'local unix - n n - - local',
      'anvil unix - - n - 1 anvil',
      'scache unix - - n - 1 scache',
      'postlog unix-dgram n - n - 1 postlogd',
      ...(argv === 'discard' ? [] : ['paperboy unix - n n - 4 pipe', `  flags=DORhu user=nobody argv=${argv.join(' ')}`]),
      '',
    ].join('\n'),
  );
  const log = () => (existsSync(join(root, 'maillog')) ? readFileSync(join(root, 'maillog'), 'utf8') : '');
  try {
    postfix(config, 'start');
  } catch (error) {
    dir.remove();
    throw new Error(`Postfix did not start: ${log() || (error as Error).message}`);
  }
  return {
    port,
    log,
    flush: () => postfix(config, 'flush'),
    stop: async () => {
      try {
        postfix(config, 'stop');
      } finally {
        dir.remove();
      }
    },
  };
}

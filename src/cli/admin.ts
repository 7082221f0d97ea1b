import { hashPassword, newSecret, secretHash } from '../admin/index.js';
import { PaperboyError } from '../errors.js';
import { withStores } from '../stores/index.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { print } from './output.js';
import { readHidden, readPipedLine } from './prompt.js';
import type { HashPasswordOptions, LinkOptions } from './register/index.js';

/** Long enough that guessing it, five tries a minute, takes longer than anyone keeps a server. */
const shortestPassword = 12;

async function readPassword(options: HashPasswordOptions): Promise<string> {
  if (options.stdin) return readPipedLine();
  if (!process.stdin.isTTY) {
    throw new PaperboyError('USAGE', 'Standard input is not a terminal: to pipe the password in, add --stdin (paperboy admin hash-password --stdin < file).');
  }
  const password = await readHidden('Password: ');
  if (password !== (await readHidden('Again: '))) throw new PaperboyError('INPUT', 'The two passwords differ; nothing was printed. Run it again.');
  return password;
}

/** `admin hash-password`: the hash line of a password, for admin.passwordHash or PAPERBOY_ADMIN_PASSWORD_HASH. The password itself is never printed. */
export async function hashPasswordCommand(options: HashPasswordOptions): Promise<void> {
  const password = await readPassword(options);
  if ([...password].length < shortestPassword) throw new PaperboyError('INPUT', `The password must be at least ${shortestPassword} characters long.`);
  if ([...password].length > 1024) throw new PaperboyError('INPUT', 'The password must be at most 1024 characters long.');
  print(await hashPassword(password));
}

/** `admin link`: a sign-in link for /admin that works once, for `minutes`; the store keeps only its hash. */
export async function link(options: LinkOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  if (!config.admin) {
    throw new PaperboyError('CONFIG', 'The admin dashboard is off: add an "admin" section to the config (docs/admin.md), then paperboy serve offers /admin.');
  }
  const token = newSecret();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + options.minutes * 60_000);
  await withStores(config, async (stores) => {
    await stores.adminAuth.addLink(secretHash(token), now, expiresAt);
    await stores.adminAuth.recordAudit({
      at: now.toISOString(),
      account: config.admin!.account,
      ip: '',
      action: 'link-created',
      detail: { expiresAt: expiresAt.toISOString() },
    });
  });
  print(`${config.newsletter.baseUrl.replace(/\/+$/, '')}/admin/link/${token}`);
}

import type { Command } from 'commander';
import { globalsOf, wholeNumber } from '../flags.js';

export interface HashPasswordOptions {
  stdin?: boolean;
}

export interface LinkOptions {
  minutes: number;
}

export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description('the admin dashboard on serve (/admin): its password, one-time sign-in links');
  admin
    .command('hash-password')
    .description('read a password (typed unseen, or piped with --stdin) and print its hash, for admin.passwordHash or PAPERBOY_ADMIN_PASSWORD_HASH')
    .option('--stdin', 'read the password from a pipe: everything on standard input but its last line break')
    .action(async (options: HashPasswordOptions) => (await import('../admin.js')).hashPasswordCommand(options));
  admin
    .command('link')
    .description('print a sign-in link for /admin that works once, within --minutes')
    .option('--minutes <n>', 'how long the link works', wholeNumber(1), 15)
    .action(async (options: LinkOptions) => (await import('../admin.js')).link(options, globalsOf(program)));
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { tempDir } from './files.js';
import { freePort } from './ports.js';

export interface Dovecot {
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * A real IMAP server: Debian's Dovecot in the foreground, on loopback, IMAP with STARTTLS (a
 * self-signed certificate made by openssl; `tls: false` for a server that offers none), one user
 * with a password from a passwd-file and Maildirs under its own temporary folder. Stopped (and
 * the folder removed) by stop().
 */
export async function startDovecot(options: { tls?: boolean } = {}): Promise<Dovecot> {
  const dir = tempDir('paperboy-dovecot-');
  const root = dir.path;
  for (const sub of ['run', 'state', 'home']) mkdirSync(join(root, sub));
  // As root, the mail processes run as nobody, who must reach the home folder; as any other user,
  // Dovecot runs rootless: every one of its processes as that user (doc.dovecot.org, "Rootless").
  const asRoot = process.getuid?.() === 0;
  const me = userInfo();
  chmodSync(root, 0o755);
  if (asRoot) chownSync(join(root, 'home'), 65534, 65534);
  const group = asRoot ? '' : execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  const rootless = asRoot ? '' : `default_internal_user = ${me.username}\ndefault_internal_group = ${group}\ndefault_login_user = ${me.username}\n`;
  const port = await freePort();
  const user = 'bounces';
  const password = 'imap-test-password';
  writeFileSync(join(root, 'passwd'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const tls = options.tls ?? true;
  if (tls) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(root, 'key.pem'),
        '-out',
        join(root, 'cert.pem'),
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '2',
      ],
      { stdio: 'ignore' },
    );
  }
  writeFileSync(
    join(root, 'dovecot.conf'),
    `${rootless}base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
protocols = imap
listen = 127.0.0.1
${tls ? `ssl = yes\nssl_cert = <${root}/cert.pem\nssl_key = <${root}/key.pem` : 'ssl = no'}
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${root}/passwd
}
userdb {
  driver = static
  args = ${asRoot ? 'uid=nobody gid=nogroup' : `uid=${me.uid} gid=${me.gid}`} home=${root}/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const binary = existsSync('/usr/sbin/dovecot') ? '/usr/sbin/dovecot' : 'dovecot';
  const child: ChildProcess = spawn(binary, ['-F', '-c', join(root, 'dovecot.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  while (!(await accepting(port))) {
    if (child.exitCode !== null || Date.now() - started > 15_000) throw new Error(`Dovecot did not start (see ${root}/dovecot.log)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    user,
    password,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      dir.remove();
    },
  };
}

/** Runs `work` with an IMAP client signed in to the test server's mailbox, and signs out after. */
export async function withMailbox<T>(dovecot: Dovecot, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    tls: { rejectUnauthorized: false },
    logger: false,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

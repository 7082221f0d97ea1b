import type { Dialogue, Reply } from './dialogue.js';
import type { Job, JobSource } from './job.js';
import type { Session } from './session.js';
import { SmtpError } from './smtp-error.js';

const positive = (code: number) => code >= 200 && code < 300;

/** The replies to one envelope; a command never sent (an earlier one failed, no pipelining) has none. */
interface EnvelopeReplies {
  mail: Reply;
  rcpt?: Reply;
  data?: Reply;
}

/**
 * Sends jobs over one session, one transaction at a time, as long as the session stands.
 *
 * With PIPELINING (RFC 2920) MAIL, RCPT and DATA go out in one write, and the next message's
 * group follows the end of the previous one's data at once, without waiting for its reply: a
 * message costs the relay's time to queue it plus one round trip, not four. nodemailer waits
 * for each message's last reply before it starts the next, which is why this is written here.
 */
export class Connection {
  private readonly dialogue: Dialogue;
  private readonly pipelining: boolean;
  private readonly eightBitMime: boolean;
  private readonly smtpUtf8: boolean;
  /** MAIL was accepted but the transaction failed later: RSET before the next one. */
  private mustReset = false;
  /** The server said 421: it closes the session, take nothing more. */
  private closing = false;
  /** The message whose data went out, awaiting the reply to its end of data. */
  private sent: { job: Job; reply: Promise<Reply> } | undefined;
  /** The message whose envelope is out and whose data is not. */
  private current: Job | undefined;

  constructor(
    session: Session,
    private readonly source: JobSource,
  ) {
    this.dialogue = session.dialogue;
    this.pipelining = session.extensions.has('PIPELINING');
    this.eightBitMime = session.extensions.has('8BITMIME');
    this.smtpUtf8 = session.extensions.has('SMTPUTF8');
  }

  /** Sends until the pool closes or the session fails; what was in flight then is settled or handed back. */
  async run(): Promise<void> {
    try {
      while (!this.closing && !this.dialogue.closed) {
        this.current = this.source.take();
        if (this.current) {
          await this.transaction(this.current);
          this.current = undefined;
        } else if (!(await this.waitForWork())) {
          if (this.sent) await this.settleSent();
          return this.dialogue.quit();
        }
      }
      if (this.sent) await this.settleSent();
      this.dialogue.quit();
    } catch (error) {
      const failure = error instanceof SmtpError ? error : new SmtpError(String(error), { code: 'ECONNECTION', command: 'DATA' });
      // Its data went out: it may have arrived, so it fails as a retry (failures.ts), never silently sent twice here.
      this.sent?.job.reject(failure.at('DATA'));
      if (this.current) this.source.requeue(this.current, failure.unsent());
      this.dialogue.destroy();
    }
  }

  /** False once the pool closes; otherwise true when a job may be waiting, or the awaited reply came (and was settled). */
  private async waitForWork(): Promise<boolean> {
    const job = this.source.whenJob(this.sent === undefined);
    try {
      const sent = this.sent;
      if (!sent) return await job.ready;
      const replied = sent.reply.then(() => 'replied' as const);
      const woke = await Promise.race([job.ready, replied]);
      if (woke === 'replied') await this.settleSent();
      return woke !== false;
    } finally {
      job.cancel();
    }
  }

  private async settleSent(): Promise<void> {
    const sent = this.sent!;
    const reply = await sent.reply;
    this.sent = undefined;
    if (positive(reply.code)) sent.job.resolve(reply.text);
    else this.refuse(sent.job, reply, 'DATA', 'EMESSAGE');
  }

  private refuse(job: Job, reply: Reply, command: string, code: string): void {
    const error = SmtpError.refused(reply, command, code);
    if (reply.code === 421) {
      this.closing = true;
      const lowered = this.source.throttled();
      if (lowered !== undefined) error.connectionsLoweredTo = lowered;
    }
    job.reject(error);
  }

  private mailCommand(job: Job): string {
    const body = job.eightBit && this.eightBitMime ? ' BODY=8BITMIME' : '';
    const utf8 = this.smtpUtf8 && /[^\x00-\x7f]/.test(job.from + job.to) ? ' SMTPUTF8' : '';
    return `MAIL FROM:<${job.from}>${body}${utf8}`;
  }

  /** One message: its envelope (written behind the previous message's data when pipelining), the previous reply, its own data. */
  private async transaction(job: Job): Promise<void> {
    const reset = this.mustReset;
    this.mustReset = false;
    const envelope = this.pipelining ? this.pipelined(job, reset) : this.oneByOne(job, reset);
    const { mail, rcpt, data } = await envelope;
    if (data?.code === 354 && positive(mail.code) && rcpt && positive(rcpt.code)) {
      this.dialogue.writeAll(job.data);
      this.current = undefined;
      const reply = this.dialogue.expect('DATA');
      reply.catch(() => {}); // awaited later; a session that fails meanwhile is handled in run()
      this.sent = { job, reply };
      if (!this.pipelining) await this.settleSent();
      return;
    }
    // The server took DATA though the envelope failed: end the empty message; it refuses that.
    if (data?.code === 354) await this.dialogue.command('.', 'DATA');
    this.mustReset = positive(mail.code);
    this.current = undefined;
    if (!positive(mail.code)) this.refuse(job, mail, 'MAIL FROM', 'EENVELOPE');
    else if (rcpt && !positive(rcpt.code)) this.refuse(job, rcpt, 'RCPT TO', 'EENVELOPE');
    else this.refuse(job, data ?? mail, 'DATA', 'EENVELOPE');
  }

  private async pipelined(job: Job, reset: boolean): Promise<EnvelopeReplies> {
    this.dialogue.write(`${reset ? 'RSET\r\n' : ''}${this.mailCommand(job)}\r\nRCPT TO:<${job.to}>\r\nDATA\r\n`);
    if (this.sent) await this.settleSent();
    if (reset) await this.dialogue.expect('RSET');
    const mail = await this.dialogue.expect('MAIL FROM');
    const rcpt = await this.dialogue.expect('RCPT TO');
    return { mail, rcpt, data: await this.dialogue.expect('DATA') };
  }

  /** Without PIPELINING: each command waits for its reply, and the first refusal ends the envelope. */
  private async oneByOne(job: Job, reset: boolean): Promise<EnvelopeReplies> {
    if (reset) await this.dialogue.command('RSET');
    const mail = await this.dialogue.command(this.mailCommand(job), 'MAIL FROM');
    if (!positive(mail.code)) return { mail };
    const rcpt = await this.dialogue.command(`RCPT TO:<${job.to}>`, 'RCPT TO');
    if (!positive(rcpt.code)) return { mail, rcpt };
    return { mail, rcpt, data: await this.dialogue.command('DATA') };
  }
}

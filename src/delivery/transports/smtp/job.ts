import type { SmtpError } from './smtp-error.js';

/** One message waiting for, or on, a connection. */
export interface Job {
  from: string;
  to: string;
  /** The message as it goes after DATA, in parts written together: dot-stuffed, ending in CRLF.CRLF. */
  data: Buffer[];
  eightBit: boolean;
  resolve(response: string): void;
  reject(error: SmtpError): void;
  /** Times a connection closed under it before a byte of it went out. */
  requeued: number;
}

/** What a connection asks of its pool. */
export interface JobSource {
  /** The next job, if one may go now. */
  take(): Job | undefined;
  /** Resolves true when a job may be waiting, false when the pool closes. `idle`: this connection has nothing in flight. */
  whenJob(idle: boolean): { ready: Promise<boolean>; cancel(): void };
  /** The connection closed before any of this job went out: another connection sends it. */
  requeue(job: Job, error: SmtpError): void;
  /** The server answered 421: the pool uses one connection fewer; how many it uses now, when it could drop one. */
  throttled(): number | undefined;
}

import type { MailMessage } from '../mail/index.js';

/** What a transport receives: the message's parts, its raw MIME, and the envelope. */
export interface OutgoingMessage extends MailMessage {
  envelope: { from: string; to: string };
  raw: Buffer;
  edition: { id: number; day: string; list: string };
  subscriberId: number;
}

export interface SendResult {
  /** The server's answer, e.g. "250 2.0.0 OK queued as 1234". */
  response?: string;
  /** Through several relays (delivery.relays): the name of the one that took the message. A thrown error names it in a `relay` property. */
  relay?: string;
}

/** How one relay of a several-relay transport fared in a run (Transport.relays). */
export interface RelayReport {
  name: string;
  /** It went down (could not be reached): why, last time; whether a probe found it up again; the relays that took its share. */
  down?: { reason: string; times: number; upAgain: boolean; shareWentTo: string[] };
}

/**
 * The one contract every transport implements (smtp, outbox, json, or a module of your own).
 * `send` resolves once the message is accepted; it throws when it is not. What a thrown error
 * means is decided in failures.ts from its `responseCode`, `response` (an enhanced status code),
 * `command` and `code` (`EAUTH` stops the run); `permanent: true` marks a failure that retrying
 * cannot fix; anything else is retried. A pooling transport that answers a 421 by using fewer
 * connections says so with `connectionsLoweredTo` on the error.
 */
export interface Transport {
  readonly name: string;
  /** At most this many messages in flight at once (a local transport gains nothing from more). */
  readonly maxInFlight?: number;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * The server cannot be reached and the run pauses: fail at once the sends still waiting for a
   * connection (nothing of them went out), rather than let each wait out its own timeout.
   */
  giveUpWaiting?(): void;
  close?(): Promise<void>;
  /** Several relays behind one transport: how each fared so far. */
  relays?(): RelayReport[];
}

import type { OutgoingMessage, SendResult, Transport } from '../transport.js';

/**
 * `json:`: one JSON line per message on stdout (or the given stream), for scripting and tests.
 * The HTML is summarized by its size; the text part is included; the raw MIME is not built.
 */
export function jsonTransport(output: NodeJS.WritableStream = process.stdout): Transport {
  let drained: Promise<void> | undefined; // one wait for 'drain', shared by every send that hits backpressure
  return {
    name: 'json:',
    maxInFlight: 16, // each line is one write, whole; lines of messages sent together may come in any order
    async send(message: OutgoingMessage): Promise<SendResult> {
      const line = JSON.stringify({
        messageId: message.messageId,
        edition: message.edition,
        subscriberId: message.subscriberId,
        envelope: message.envelope,
        from: message.from,
        to: message.to,
        subject: message.subject,
        date: message.date.toISOString(),
        headers: message.headers ?? {},
        text: message.text,
        htmlBytes: Buffer.byteLength(message.html),
      });
      if (drained) await drained;
      if (!output.write(`${line}\n`)) {
        drained ??= new Promise<void>((resolve) => output.once('drain', () => resolve())).finally(() => (drained = undefined));
        await drained;
      }
      return { response: 'written' };
    },
  };
}

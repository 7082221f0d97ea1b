import { connect, type Socket } from 'node:net';

/**
 * A bare SMTP client that pipelines (RFC 2920): MAIL, RCPT and DATA go out together, the body
 * follows the 354, and the next message's commands follow the body without waiting for its 250.
 * No MIME, no pool bookkeeping, no retries: the ceiling a real client can approach.
 */
export async function sendPipelined(port: number, messages: { from: string; to: string; raw: Buffer }[], connections: number): Promise<number> {
  let next = 0;
  let accepted = 0;
  const runConnection = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      let buffer = '';
      let stage: 'greeting' | 'ehlo' | 'sending' = 'greeting';
      const waiting: string[] = []; // expected replies, in order
      let inFlight: Buffer | undefined;
      const sendCommands = () => {
        if (next >= messages.length) {
          if (waiting.length === 0) {
            socket.end('QUIT\r\n');
            resolve();
          }
          return;
        }
        const message = messages[next++]!;
        inFlight = message.raw;
        socket.write(`MAIL FROM:<${message.from}>\r\nRCPT TO:<${message.to}>\r\nDATA\r\n`);
        waiting.push('mail', 'rcpt', 'data');
      };
      socket.on('data', (chunk) => {
        buffer += chunk.toString('latin1');
        let newline: number;
        while ((newline = buffer.indexOf('\r\n')) !== -1) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 2);
          if (line[3] === '-') continue; // multi-line reply
          if (stage === 'greeting') {
            stage = 'ehlo';
            socket.write('EHLO bench.localhost\r\n');
          } else if (stage === 'ehlo') {
            stage = 'sending';
            sendCommands();
          } else {
            const expected = waiting.shift();
            if (!/^[23]/.test(line)) return reject(new Error(`unexpected reply ${line} for ${expected}`));
            if (expected === 'data') {
              socket.write(Buffer.concat([inFlight!, Buffer.from('\r\n.\r\n')]));
              waiting.push('body');
              sendCommands(); // pipeline the next message behind this body
            } else if (expected === 'body') {
              accepted++;
              if (next >= messages.length && waiting.length === 0) sendCommands();
            }
          }
        }
      });
      socket.on('error', reject);
    });
  await Promise.all(Array.from({ length: connections }, () => runConnection(connect({ port, host: '127.0.0.1', noDelay: true }))));
  return accepted;
}

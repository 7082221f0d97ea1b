import { type AddressInfo, createServer, type Socket } from 'node:net';

/** What a scripted server saw, in order: each command line, each end of data, each reply to one. */
export type Event = { kind: 'command'; line: string; connection: number } | { kind: 'end-of-data' | 'data-reply'; connection: number };

export interface ScriptedServer {
  port: number;
  events: Event[];
  close(): Promise<void>;
}

export interface Script {
  pipelining: boolean;
  /** How long the reply to each end of data is held (a relay queueing the message). */
  holdDataReplyMs: number;
  /** Close the connection right after the reply to this many messages' end of data. */
  closeAfterMessages?: number;
}

/**
 * A small SMTP server over real TCP that keeps the order of everything it sees, which no full
 * server exposes: it answers in order, holds each end-of-data reply, and never answers a
 * pipelined command before the reply to the data in front of it has gone.
 */
export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const events: Event[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let messages = 0;
    let replies = Promise.resolve(); // every reply goes out after the ones before it
    const reply = (text: string, holdMs = 0, after?: () => void) => {
      replies = replies.then(async () => {
        if (holdMs) await new Promise((resolve) => setTimeout(resolve, holdMs));
        if (!socket.destroyed) socket.write(`${text}\r\n`);
        after?.();
      });
    };
    socket.write('220 scripted ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line !== '.') continue;
          inData = false;
          events.push({ kind: 'end-of-data', connection });
          const closing = script.closeAfterMessages !== undefined && ++messages >= script.closeAfterMessages;
          reply('250 2.0.0 queued', script.holdDataReplyMs, () => {
            events.push({ kind: 'data-reply', connection });
            if (closing) socket.end();
          });
          continue;
        }
        events.push({ kind: 'command', line, connection });
        const verb = line.split(/[ :]/)[0]!.toUpperCase();
        if (verb === 'EHLO') reply(`250-scripted${script.pipelining ? '\r\n250-PIPELINING' : ''}\r\n250 8BITMIME`);
        else if (verb === 'DATA')
          reply('354 go ahead', 0, () => {
            inData = true;
          });
        else if (verb === 'QUIT') reply('221 bye', 0, () => socket.end());
        else reply('250 2.0.0 ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    events,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

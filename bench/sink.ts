/**
 * The SMTP sinks the benches send to, each in its own process so it does not share an event
 * loop with the sender being measured: a plain sink, optionally slow to queue each message, and
 * a proxy in front of a server that delays every reply (a relay across a network) and counts
 * what the server accepted (a real Postfix, say).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const dist = import.meta.dirname;

export interface SinkCounts {
  received: number;
  recipients: number;
  firstAt: number;
  lastAt: number;
}

export interface Sink {
  port: number;
  url: string;
  /** Messages accepted so far, the distinct recipients among them, and when the first and the latest were accepted (ms since the epoch). */
  counts(): Promise<SinkCounts>;
  /** Every recipient accepted, as often as accepted (a sink, not the proxy). */
  recipients(): Promise<string[]>;
  stop(): void | Promise<void>;
}

/** Starts `script` (from dist/bench) that prints {"port"} and then answers "count" on stdin with its counts; it exits when its stdin closes. */
async function childSink(script: string, env: Record<string, string>): Promise<Sink> {
  const child = spawn(process.execPath, [join(dist, script)], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  const next = async <T>() => JSON.parse(await new Promise<string>((resolve) => waiting.push(resolve))) as T;
  const { port } = await next<{ port: number }>();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    counts() {
      const answer = next<SinkCounts>();
      child.stdin.write('count\n');
      return answer;
    },
    recipients() {
      const answer = next<string[]>();
      child.stdin.write('recipients\n');
      return answer;
    },
    stop: () => {
      child.stdin.end();
    },
  };
}

/** A sink that holds its answer to each message's end of DATA for `messageDelayMs` (a relay that fsyncs its queue). */
export const startSink = (messageDelayMs = 0): Promise<Sink> => childSink('smtp-sink-process.js', { SINK_DELAY_MS: String(messageDelayMs) });

/** A TCP proxy to `targetPort` that passes every server → client chunk on `replyDelayMs` late, and counts the messages the server accepted. */
export const startLatencyProxy = (targetPort: number, replyDelayMs: number): Promise<Sink> =>
  childSink('latency-proxy-process.js', { PROXY_TARGET_PORT: String(targetPort), PROXY_REPLY_DELAY_MS: String(replyDelayMs) });

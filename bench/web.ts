/**
 * npm run bench:web — requests per second and p99 latency for the archive (a day's page, the same
 * page asked again with If-None-Match, the Atom feed) and POST /subscribe (rate limit lifted),
 * next to a bare node:http hello world measured in the same rounds, with the CPU each server
 * process spent per request. Each server runs in its own process.
 *
 * The load comes from wrk (C, one thread): autocannon decodes every response body into a string
 * and spends more CPU on a 4 KB page than the server does, so on two cores it measured itself
 * (bare node:http answering 4 KB: 21,000 req/s under autocannon, 66,000 under wrk).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { printFigures, verdict } from './report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const warmUpSeconds = 2;
const connections = 32;
const day = '2026-11-26';
const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-web-'));

if (spawnSync('wrk', ['--version']).error) {
  console.error('bench:web needs wrk, a load generator written in C: apt-get install wrk (see docs/benchmarks.md for why not autocannon).');
  process.exit(1);
}

interface Server {
  url: string;
  /** CPU seconds the process has used (user + system), from /proc. */
  cpu(): number;
  /** The most memory the process has held (VmHWM), MB. */
  peakMb(): number;
  /** Waits until the work after the answers is done; how long that took, in ms. */
  idle(): Promise<number>;
  stop(): void;
}

async function startServer(mode: 'paperboy' | 'bare'): Promise<Server> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'web-server.js'), mode, join(work, mode), day], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<Record<string, number>>((resolve) => lines.once('line', (line) => resolve(JSON.parse(line))));
  const { port } = await next();
  const ticksPerSecond = 100; // USER_HZ on Linux
  return {
    url: `http://127.0.0.1:${port}`,
    cpu: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    },
    peakMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    idle: async () => {
      const answer = next();
      child.stdin.write('idle\n');
      return (await answer).idleMs!;
    },
    stop: () => child.stdin.end(),
  };
}

interface Load {
  perSecond: number;
  requests: number;
  p99Ms: number;
  /** Server CPU per request, µs (for subscribe: including the work after the answers). */
  cpuUs: number;
  /** For subscribe: how long the work after the answers went on after the last one, ms. */
  afterMs: number;
}

const milliseconds = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? Number.NaN);

/** One wrk run against `url`, its figures parsed from wrk's report; any failed request stops the benchmark. */
async function load(server: Server, url: string, options: { headers?: Record<string, string>; script?: string; waitForWork?: boolean } = {}): Promise<Load> {
  const args = ['-t1', `-c${connections}`, '--latency'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  if (options.script) args.push('-s', options.script);
  // Warmed up first, untimed (V8 compiles the hot paths in the first second or two), and idle again.
  spawnSync('wrk', [...args, `-d${warmUpSeconds}s`, url]);
  if (options.waitForWork) await server.idle();
  args.push(`-d${seconds}s`);
  const cpuBefore = server.cpu();
  const run = spawnSync('wrk', [...args, url], { encoding: 'utf8' });
  const afterMs = options.waitForWork ? await server.idle() : 0;
  const cpu = server.cpu() - cpuBefore;
  const report = run.stdout;
  const requests = Number(/(\d+) requests in/.exec(report)?.[1]);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(report);
  const failed = Number(/Non-2xx or 3xx responses: (\d+)/.exec(report)?.[1] ?? 0);
  const errors = /Socket errors: (.*)/.exec(report)?.[1];
  if (!requests || !p99 || failed > 0 || errors) throw new Error(`wrk on ${url}: ${failed} failed, socket errors ${errors ?? 'none'}\n${report}${run.stderr}`);
  return {
    perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(report)![1]),
    requests,
    p99Ms: milliseconds(p99[1]!, p99[2]!),
    cpuUs: (cpu * 1e6) / requests,
    afterMs,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
/** Each figure the median of the rounds. */
const medianLoad = (loads: Load[]): Load => ({
  perSecond: median(loads.map((each) => each.perSecond)),
  requests: median(loads.map((each) => each.requests)),
  p99Ms: median(loads.map((each) => each.p99Ms)),
  cpuUs: median(loads.map((each) => each.cpuUs)),
  afterMs: median(loads.map((each) => each.afterMs)),
});

/** A subscribe form per request, each with an address of its own. */
function subscribeScript(round: number): string {
  const path = join(work, `subscribe-${round}.lua`);
  // The warm-up and the timed run use the same script: each run of it draws its own addresses.
  writeFileSync(
    path,
    `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
local run = io.open("/proc/sys/kernel/random/uuid"):read("*l"):sub(1, 8)
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, "email=reader${round}x" .. run .. "x" .. n .. "%40example.org&name=Reader&topics=agents")
end
`,
  );
  return path;
}

const servers: Server[] = [];
try {
  const bare = await startServer('bare');
  const paperboy = await startServer('paperboy');
  servers.push(bare, paperboy);
  const page = `${paperboy.url}/archive/${day}`;
  const compressed = { 'accept-encoding': 'gzip, deflate, br' };

  // What a browser that kept the page asks: the 304 must carry no body.
  const first = await fetch(page, { headers: compressed });
  const pageBytes = Number(first.headers.get('content-length'));
  await first.arrayBuffer();
  const etag = first.headers.get('etag') ?? '';
  const again = await fetch(page, { headers: { ...compressed, 'if-none-match': etag } });
  const notModifiedBody = (await again.arrayBuffer()).byteLength;

  const results: Record<'baseline' | 'archive' | 'notModified' | 'atom' | 'subscribe', Load[]> = {
    baseline: [],
    archive: [],
    notModified: [],
    atom: [],
    subscribe: [],
  };
  for (let round = 0; round < rounds; round++) {
    results.baseline.push(await load(bare, `${bare.url}/`));
    results.archive.push(await load(paperboy, page, { headers: compressed }));
    results.notModified.push(await load(paperboy, page, { headers: { ...compressed, 'if-none-match': etag } }));
    results.atom.push(await load(paperboy, `${paperboy.url}/archive.xml`, { headers: compressed }));
    results.subscribe.push(await load(paperboy, `${paperboy.url}/subscribe`, { script: subscribeScript(round), waitForWork: true }));
  }
  const [baseline, archive, notModified, atom, subscribe] = [results.baseline, results.archive, results.notModified, results.atom, results.subscribe].map(
    medianLoad,
  ) as [Load, Load, Load, Load, Load];

  // A load against the baseline measured minutes before it in the same round: the machine's slow
  // patches hit both alike, so a round's ratio holds better than a ratio of two medians.
  const roundRatios = (loads: Load[]) => loads.map((load, round) => load.perSecond / results.baseline[round]!.perSecond);
  const ratios = (loads: Load[]) =>
    roundRatios(loads)
      .map((ratio) => ratio.toFixed(2))
      .join(', ');
  const archiveRatio = median(roundRatios(results.archive));
  const subscribeRatio = median(roundRatios(results.subscribe));
  const line = (load: Load) => `req/s (p99 ${load.p99Ms.toFixed(1)} ms, server ${load.cpuUs.toFixed(0)} µs CPU a request)`;
  const sustained = subscribe.requests / (seconds + subscribe.afterMs / 1000);
  printFigures(`bench:web — wrk, ${connections} connections, ${seconds} s a run, medians of ${rounds} rounds, loopback`, [
    { name: 'bare node:http hello world (baseline)', value: baseline.perSecond, unit: line(baseline) },
    { name: `GET /archive/${day} (${pageBytes.toLocaleString('en-US')} bytes, br)`, value: archive.perSecond, unit: line(archive) },
    { name: 'the same with its ETag in If-None-Match: 304', value: notModified.perSecond, unit: line(notModified) },
    { name: 'GET /archive.xml (Atom, br)', value: atom.perSecond, unit: line(atom) },
    { name: 'POST /subscribe, answered', value: subscribe.perSecond, unit: line(subscribe) },
    {
      name: '  its work done (store + confirmation mail), overall',
      value: sustained,
      unit: `subscribes/s (finished ${(subscribe.afterMs / 1000).toFixed(2)} s after the last answer)`,
    },
    { name: '  the paperboy server at its fullest', value: paperboy.peakMb(), unit: 'MB resident' },
    { name: 'archive / baseline, each round', value: archiveRatio, unit: `× (median; rounds ${ratios(results.archive)})` },
    { name: 'subscribe answered / baseline, each round', value: subscribeRatio, unit: `× (median; rounds ${ratios(results.subscribe)})` },
  ]);
  verdict('archive pages', archiveRatio >= 0.6, `${archiveRatio.toFixed(2)}× the bare server (target ≥ 0.6×)`);
  verdict(
    'subscribe',
    subscribeRatio >= 0.05 && subscribe.p99Ms < 20,
    `${subscribeRatio.toFixed(3)}× the bare server (target ≥ 0.05×), p99 ${subscribe.p99Ms.toFixed(1)} ms (target < 20 ms)`,
  );
  verdict('conditional GET', again.status === 304 && notModifiedBody === 0, `${again.status}, ${notModifiedBody} bytes of body`);
} finally {
  for (const server of servers) server.stop();
  rmSync(work, { recursive: true, force: true });
}

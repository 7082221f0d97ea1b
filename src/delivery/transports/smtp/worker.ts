/**
 * The SMTP pool in its own thread: the sockets, TLS, DKIM and the data path run beside the
 * thread that renders and keeps the ledger, so a send uses both cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { failureOf, openSmtpPool, type SmtpPoolSettings } from './open.js';

const pool = openSmtpPool(workerData as SmtpPoolSettings);
parentPort!.on('message', (request: { id: number; envelope: { from: string; to: string }; raw: Uint8Array } | 'close' | 'give-up-waiting') => {
  if (request === 'give-up-waiting') return pool.giveUpWaiting();
  if (request === 'close') {
    pool.close(); // sends QUIT on idle connections; every send has settled by now
    setImmediate(() => process.exit(0)); // in a worker this ends the thread, not the process
    return;
  }
  pool.send(request.envelope, Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength)).then(
    (response) => parentPort!.postMessage({ id: request.id, response }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, failure: failureOf(error) }),
  );
});

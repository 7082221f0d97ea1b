import { pino } from 'pino';
import { placeholderBaseUrl, refusePlaceholders } from '../config/index.js';
import { openMailTransport } from '../delivery/index.js';
import { messageOf, PaperboyError } from '../errors.js';
import { openStores, signerFor } from '../stores/index.js';
import { buildApp } from '../web/index.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { print } from './output.js';
import type { ServeOptions } from './register/index.js';

export async function runServe(options: ServeOptions, global: GlobalOptions): Promise<void> {
  const flags = { 'web.port': options.port, 'web.host': options.host };
  let config = commandConfig(global, flags);
  refusePlaceholders(config); // confirmation mails through SMTP must not carry localhost links
  // Trying it out locally: links follow the port being served.
  if (config.newsletter.baseUrl === placeholderBaseUrl && config.web.port !== 0) {
    config = commandConfig(global, { ...flags, 'newsletter.baseUrl': `http://localhost:${config.web.port}` });
  }
  const stores = await openStores(config);
  const transport = await openMailTransport(config, { connectionsAtMost: 2 }); // confirmation mails: a trickle
  const app = await buildApp({
    config,
    subscribers: stores.subscribers,
    editions: stores.editions,
    papers: stores.papers,
    signer: signerFor(config),
    transport,
    bounces: { store: stores.bounces, storeId: await stores.storeId() },
    adminAuth: stores.adminAuth,
    adminQueries: stores.adminQueries,
    dev: options.dev ?? false,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  let address: string;
  try {
    address = await app.listen({ port: config.web.port, host: config.web.host });
  } catch (error) {
    await app.close();
    await transport.close?.();
    await stores.close();
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use' : code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' ? 'no such address here' : messageOf(error);
    throw new PaperboyError('CONFIG', `Cannot listen on ${config.web.host}:${config.web.port}: ${why}; choose another --port or --host.`);
  }
  print(`paperboy is serving on ${address} (public URL: ${config.newsletter.baseUrl})${options.dev ? ` — template preview at ${address}/preview` : ''}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await app.close();
  await transport.close?.();
  await stores.close();
  pino().info('stopped');
}

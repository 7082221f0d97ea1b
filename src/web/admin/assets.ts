import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../../paths.js';
import { pickEncoding } from '../routes/cached-page.js';

interface Asset {
  type: string;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

const require = createRequire(import.meta.url);
// Both packages export only their entry points, not their dist/ files: find the folder from the entry.
const plotDist = join(dirname(require.resolve('@observablehq/plot')), '..', 'dist');
const d3Dist = dirname(require.resolve('d3'));
const ownDir = join(packageRoot, 'src', 'web', 'admin', 'static');

const javascript = 'text/javascript; charset=utf-8';
const sources: [string, string, string][] = [
  ['admin.css', join(ownDir, 'admin.css'), 'text/css; charset=utf-8'],
  ['charts.js', join(ownDir, 'charts.js'), javascript],
  ['now.js', join(ownDir, 'now.js'), javascript],
  ['d3.min.js', join(d3Dist, 'd3.min.js'), javascript],
  ['plot.umd.min.js', join(plotDist, 'plot.umd.min.js'), javascript],
];

/** The admin pages' stylesheet and scripts, and the chart library from node_modules: no CDN, no request elsewhere. */
function loadAssets(): Map<string, Asset> {
  // A Map, not an object: a name such as "constructor" must find nothing.
  return new Map(sources.map(([name, path, type]) => [name, { type, body: readFileSync(path) }]));
}

/** The asset in an encoding the client accepts, compressed once on first asking (the library is ~450 KB, ~140 KB compressed). */
function encoded(asset: Asset, accepted: string | undefined): { encoding?: string; body: Buffer } {
  const encoding = pickEncoding(accepted);
  if (encoding === 'br') return { encoding, body: (asset.br ??= brotliCompressSync(asset.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6 } })) };
  if (encoding === 'gzip') return { encoding, body: (asset.gzip ??= gzipSync(asset.body, { level: 9 })) };
  return { body: asset.body };
}

/** GET /admin/assets/:file: the admin pages' stylesheet and scripts, and the chart library. */
export function adminAssetRoutes(app: FastifyInstance): void {
  const assets = loadAssets();
  app.get<{ Params: { file: string } }>('/admin/assets/:file', async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.callNotFound();
    const { encoding, body } = encoded(asset, request.headers['accept-encoding']);
    reply.type(asset.type).header('cache-control', 'private, max-age=3600').header('vary', 'accept-encoding');
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(body);
  });
}

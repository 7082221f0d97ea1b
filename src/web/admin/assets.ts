import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../../paths.js';
import { type CachedPage, cachedPage, sendCached } from '../routes/cached-page.js';

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

/** GET /admin/assets/:file: the admin pages' stylesheet and scripts, and the chart library from node_modules (no CDN, no request elsewhere). */
export function adminAssetRoutes(app: FastifyInstance): void {
  // A Map, not an object: a name such as "constructor" must find nothing.
  const files = new Map(sources.map(([name, path, type]) => [name, { body: readFileSync(path), type }]));
  // Compressed once, on first asking (the library is ~450 KB, ~140 KB compressed).
  const made = new Map<string, CachedPage>();
  app.get<{ Params: { file: string } }>('/admin/assets/:file', async (request, reply) => {
    const file = files.get(request.params.file);
    if (!file) return reply.callNotFound();
    let asset = made.get(request.params.file);
    if (!asset) {
      asset = cachedPage(file.body, file.type, 'private, max-age=3600', 6);
      made.set(request.params.file, asset);
    }
    return sendCached(request, reply, asset);
  });
}

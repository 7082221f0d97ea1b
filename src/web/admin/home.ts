import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './deps.js';
import { csrfField, signedIn } from './guard.js';
import { homePage } from './views.js';

/** GET /admin: who is signed in, and signing out (the dashboard's overview takes its place). */
export function homeRoute(scope: FastifyInstance, _deps: AdminDeps): void {
  scope.get('/admin', async (request, reply) => reply.type('text/html; charset=utf-8').send(homePage(signedIn(request).account, csrfField(request))));
}

import type { FastifyRequest } from 'fastify';
import type { AdminAction } from '../../admin/index.js';
import type { AdminDeps } from './deps.js';

export interface AdminActionRecord {
  action: AdminAction;
  /** What it was about: a report's id, a reader's address. */
  target?: string;
  detail?: Record<string, unknown>;
  /** Who, when nobody is signed in yet (a failed sign-in names an account); otherwise the session's account. */
  account?: string;
}

/** Records an admin action in the audit trail: when, who (the signed-in account), from which address, what. */
export async function recordAdminAction(deps: AdminDeps, request: FastifyRequest, record: AdminActionRecord): Promise<void> {
  await deps.adminAuth.recordAudit({
    at: deps.clock().toISOString(),
    account: record.account ?? request.admin?.account ?? '',
    ip: request.ip,
    action: record.action,
    ...(record.target === undefined ? {} : { target: record.target }),
    ...(record.detail === undefined ? {} : { detail: record.detail }),
  });
}

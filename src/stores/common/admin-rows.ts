import type { AdminAction, AuditEntry, StoredAuditEntry } from '../../admin/index.js';
import { fromJson, type JsonColumn } from './json-columns.js';

/** An admin_audit row as either backend hands it over. */
export interface AuditRow {
  id: number;
  at: string;
  account: string;
  ip: string;
  action: string;
  target: string | null;
  detail: JsonColumn<Record<string, unknown>>;
}

/** The values of an audit entry, in the order of both backends' recordAudit. */
export const auditValues = (entry: AuditEntry): unknown[] => [
  entry.at,
  entry.account,
  entry.ip,
  entry.action,
  entry.target ?? null,
  JSON.stringify(entry.detail ?? {}),
];

export const toAuditEntry = (row: AuditRow): StoredAuditEntry => ({
  id: row.id,
  at: row.at,
  account: row.account,
  ip: row.ip,
  action: row.action as AdminAction,
  ...(row.target === null ? {} : { target: row.target }),
  detail: fromJson(row.detail),
});

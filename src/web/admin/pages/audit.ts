import type { StoredAuditEntry } from '../../../admin/index.js';
import { type Html, html } from '../../html.js';
import { utcTime } from './format.js';
import { dataTable } from './table.js';

const detailText = (detail: Record<string, unknown>): string => (Object.keys(detail).length === 0 ? '' : JSON.stringify(detail));

/** The latest admin actions: who did what, when, from where. */
export function auditTable(rows: readonly StoredAuditEntry[]): Html {
  return dataTable({
    caption: 'The last admin actions, newest first',
    head: ['When', 'Account', 'From', 'Action', 'On', 'Detail'],
    rows: rows.map((row) => [
      utcTime(row.at),
      row.account,
      row.ip || '—',
      row.action,
      row.target ?? '',
      html`<span class="detail">${detailText(row.detail)}</span>`,
    ]),
    empty: 'No admin action is recorded yet.',
  });
}

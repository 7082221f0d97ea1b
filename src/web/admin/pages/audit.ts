import { html, type Html } from '../../html.js';
import { utcTime } from './format.js';
import { dataTable } from './table.js';

/** One recorded admin action, as the overview lists it. */
export interface AuditRow {
  at: string;
  account: string;
  ip: string;
  action: string;
  target?: string;
  detail?: unknown;
}

const detailText = (detail: unknown): string => (detail === undefined || detail === null ? '' : typeof detail === 'string' ? detail : JSON.stringify(detail));

/** The latest admin actions: who did what, when, from where. */
export function auditTable(rows: readonly AuditRow[]): Html {
  return dataTable({
    caption: 'The last admin actions, newest first',
    head: ['When', 'Account', 'From', 'Action', 'On', 'Detail'],
    rows: rows.map((row) => [utcTime(row.at), row.account, row.ip, row.action, row.target ?? '', html`<span class="detail">${detailText(row.detail)}</span>`]),
    empty: 'No admin action is recorded yet.',
  });
}

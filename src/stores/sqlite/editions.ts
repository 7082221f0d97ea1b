import type { Statement } from 'better-sqlite3';
import { daysBefore, emptyCounts, type DeliveryCounts, type Edition, type EditionStore, type EditionSummary, type NewEdition } from '../../editions/index.js';
import { PaperboyError } from '../../errors.js';
import type { Paper } from '../../papers/index.js';
import { nowIso, type Db } from './open.js';

interface EditionRow {
  id: number;
  list: string;
  day: string;
  source: string;
  papers: string;
  templates: string;
  templates_version: string;
  created_at: string;
  completed_at: string | null;
  transport: string | null;
}

const editionColumns = `e.id, l.name AS list, e.day, e.source, e.papers, e.templates, e.templates_version, e.created_at, e.completed_at, e.transport`;

function toEdition(row: EditionRow): Edition {
  return {
    id: row.id,
    list: row.list,
    day: row.day,
    source: row.source,
    papers: JSON.parse(row.papers) as Paper[],
    templates: JSON.parse(row.templates) as Edition['templates'],
    templatesVersion: row.templates_version,
    createdAt: row.created_at,
    ...(row.completed_at ? { completedAt: row.completed_at } : {}),
    ...(row.transport ? { transport: row.transport } : {}),
  };
}

/**
 * Newest first, a weekly edition ("2026-W34") where its week ends: sorted by its Sunday, not by
 * its key (which as text sorts above every date of its year); on a tie the weekly one comes first.
 */
const newestFirst = `CASE WHEN e.day GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'
    THEN date(substr(e.day, 1, 4) || '-01-04', 'weekday 0', '-6 days', '+' || ((CAST(substr(e.day, 7) AS INTEGER) - 1) * 7 + 6) || ' days')
    ELSE e.day END DESC, e.day DESC`;

export class SqliteEditionStore implements EditionStore {
  private latestOfDay: Statement | undefined;

  constructor(private readonly db: Db) {}

  async find(list: string, day: string): Promise<Edition | undefined> {
    const row = this.db
      .prepare(`SELECT ${editionColumns} FROM editions e JOIN lists l ON l.id = e.list_id WHERE l.name = ? AND e.day = ?`)
      .get(list, day) as EditionRow | undefined;
    return row && toEdition(row);
  }

  async findById(id: number): Promise<Edition | undefined> {
    const row = this.db.prepare(`SELECT ${editionColumns} FROM editions e JOIN lists l ON l.id = e.list_id WHERE e.id = ?`).get(id) as
      | EditionRow
      | undefined;
    return row && toEdition(row);
  }

  async latestIdOfDay(day: string): Promise<number | undefined> {
    this.latestOfDay ??= this.db.prepare('SELECT max(id) AS id FROM editions WHERE day = ?');
    return (this.latestOfDay.get(day) as { id: number | null }).id ?? undefined;
  }

  async create(edition: NewEdition): Promise<{ edition: Edition; created: boolean }> {
    const list = this.db.prepare('SELECT id FROM lists WHERE name = ?').get(edition.list) as { id: number } | undefined;
    if (!list) throw new PaperboyError('INPUT', `There is no list named "${edition.list}"; create it with: paperboy lists create ${edition.list}`);
    const inserted = this.db
      .prepare(`INSERT INTO editions (list_id, day, source, papers, templates, templates_version, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (list_id, day) DO NOTHING`)
      .run(list.id, edition.day, edition.source, JSON.stringify(edition.papers), JSON.stringify(edition.templates), edition.templatesVersion, nowIso());
    return { edition: (await this.find(edition.list, edition.day))!, created: inserted.changes === 1 };
  }

  async recordTransport(id: number, transport: string): Promise<void> {
    this.db.prepare('UPDATE editions SET transport = ? WHERE id = ?').run(transport, id);
  }

  async recentPaperIds(list: string, day: string, days: number): Promise<Set<string>> {
    if (days <= 0) return new Set();
    const since = daysBefore(day, days);
    const rows = this.db
      .prepare(`SELECT p.value ->> '$.id' AS id FROM editions e JOIN lists l ON l.id = e.list_id, json_each(e.papers) p
        WHERE l.name = ? AND e.day >= ? AND e.day < ? AND e.day NOT LIKE '%-W%'`)
      .all(list, since, day) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  async list(options: { list?: string; limit?: number } = {}): Promise<EditionSummary[]> {
    const rows = this.db
      .prepare(`SELECT e.id, l.name AS list, e.day, json_array_length(e.papers) AS papers, e.created_at, e.completed_at
        FROM editions e JOIN lists l ON l.id = e.list_id
        WHERE (? IS NULL OR l.name = ?) ORDER BY ${newestFirst}, l.name LIMIT ?`)
      .all(options.list ?? null, options.list ?? null, options.limit ?? 50) as {
      id: number; list: string; day: string; papers: number; created_at: string; completed_at: string | null;
    }[];
    const countsOf = this.db.prepare('SELECT status, count(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status');
    return rows.map((row) => {
      const counts = emptyCounts();
      for (const { status, n } of countsOf.all(row.id) as { status: keyof DeliveryCounts; n: number }[]) counts[status] = n;
      return {
        id: row.id, list: row.list, day: row.day, papers: row.papers, createdAt: row.created_at,
        ...(row.completed_at ? { completedAt: row.completed_at } : {}),
        counts,
      };
    });
  }

  async markCompleted(id: number): Promise<void> {
    this.db.prepare('UPDATE editions SET completed_at = coalesce(completed_at, ?) WHERE id = ?').run(nowIso(), id);
  }

  async archiveDays(limit: number) {
    return this.db
      .prepare(`SELECT e.day, max(e.id) AS editionId, json_array_length(e.papers) AS papers, min(e.created_at) AS createdAt
        FROM editions e GROUP BY e.day ORDER BY ${newestFirst} LIMIT ?`)
      .all(limit) as { day: string; editionId: number; papers: number; createdAt: string }[];
  }
}

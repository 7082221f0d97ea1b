import type pg from 'pg';
import { daysBefore, emptyCounts, type DeliveryCounts, type Edition, type EditionStore, type EditionSummary, type NewEdition } from '../../editions/index.js';
import { PaperboyError } from '../../errors.js';
import type { Paper } from '../../papers/index.js';
import type { PgQueryable } from './pool.js';

interface EditionRow {
  id: number;
  list: string;
  day: string;
  source: string;
  papers: Paper[];
  templates: Edition['templates'];
  templates_version: string;
  created_at: string;
  completed_at: string | null;
  transport: string | null;
}

const editionColumns = `e.id, l.name AS list, e.day, e.source, e.papers, e.templates, e.templates_version, e.created_at, e.completed_at, e.transport`;

const toEdition = (row: EditionRow): Edition => ({
  id: row.id,
  list: row.list,
  day: row.day,
  source: row.source,
  papers: row.papers,
  templates: row.templates,
  templatesVersion: row.templates_version,
  createdAt: row.created_at,
  ...(row.completed_at ? { completedAt: row.completed_at } : {}),
  ...(row.transport ? { transport: row.transport } : {}),
});

/** Newest first, a weekly edition ("2026-W34") where its week ends (its Sunday); on a tie the weekly one comes first. */
const newestFirst = (day: string) => `CASE WHEN ${day} ~ '^\\d{4}-W\\d{2}$' THEN to_char(to_date(${day}, 'IYYY-"W"IW') + 6, 'YYYY-MM-DD') ELSE ${day} END DESC, ${day} DESC`;

/** Editions in PostgreSQL: the same frozen papers and templates, shared by every machine. */
export class PostgresEditionStore implements EditionStore {
  constructor(private readonly db: PgQueryable) {}

  private async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async find(list: string, day: string): Promise<Edition | undefined> {
    const [row] = await this.query<EditionRow>(`SELECT ${editionColumns} FROM editions e JOIN lists l ON l.id = e.list_id WHERE l.name = $1 AND e.day = $2`, [list, day]);
    return row && toEdition(row);
  }

  async findById(id: number): Promise<Edition | undefined> {
    const [row] = await this.query<EditionRow>(`SELECT ${editionColumns} FROM editions e JOIN lists l ON l.id = e.list_id WHERE e.id = $1`, [id]);
    return row && toEdition(row);
  }

  async latestIdOfDay(day: string): Promise<number | undefined> {
    const [row] = await this.query<{ id: number | null }>('SELECT max(id) AS id FROM editions WHERE day = $1', [day]);
    return row?.id ?? undefined;
  }

  /** Exactly one process creates an edition; any other that raced it gets the stored one. */
  async create(edition: NewEdition): Promise<{ edition: Edition; created: boolean }> {
    const [list] = await this.query<{ id: number }>('SELECT id FROM lists WHERE name = $1', [edition.list]);
    if (!list) throw new PaperboyError('INPUT', `There is no list named "${edition.list}"; create it with: paperboy lists create ${edition.list}`);
    const inserted = await this.query<{ id: number }>(
      `INSERT INTO editions (list_id, day, source, papers, templates, templates_version, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (list_id, day) DO NOTHING RETURNING id`,
      [list.id, edition.day, edition.source, JSON.stringify(edition.papers), JSON.stringify(edition.templates), edition.templatesVersion],
    );
    return { edition: (await this.find(edition.list, edition.day))!, created: inserted.length === 1 };
  }

  async recordTransport(id: number, transport: string): Promise<void> {
    await this.query('UPDATE editions SET transport = $1 WHERE id = $2', [transport, id]);
  }

  async recentPaperIds(list: string, day: string, days: number): Promise<Set<string>> {
    if (days <= 0) return new Set();
    const since = daysBefore(day, days);
    const rows = await this.query<{ id: string }>(
      `SELECT p ->> 'id' AS id FROM editions e JOIN lists l ON l.id = e.list_id, jsonb_array_elements(e.papers) p
        WHERE l.name = $1 AND e.day >= $2 AND e.day < $3 AND e.day NOT LIKE '%-W%'`,
      [list, since, day],
    );
    return new Set(rows.map((row) => row.id));
  }

  async list(options: { list?: string; limit?: number } = {}): Promise<EditionSummary[]> {
    const rows = await this.query<{ id: number; list: string; day: string; papers: number; created_at: string; completed_at: string | null }>(
      `SELECT e.id, l.name AS list, e.day, jsonb_array_length(e.papers) AS papers, e.created_at, e.completed_at
        FROM editions e JOIN lists l ON l.id = e.list_id
        WHERE ($1::text IS NULL OR l.name = $1) ORDER BY ${newestFirst('e.day')}, l.name LIMIT $2`,
      [options.list ?? null, options.limit ?? 50],
    );
    const counts = await this.query<{ edition_id: number; status: keyof DeliveryCounts; n: number }>(
      'SELECT edition_id, status, count(*) AS n FROM deliveries WHERE edition_id = ANY($1) GROUP BY edition_id, status',
      [rows.map((row) => row.id)],
    );
    return rows.map((row) => {
      const tally = emptyCounts();
      for (const { status, n } of counts.filter((entry) => entry.edition_id === row.id)) tally[status] = n;
      return {
        id: row.id, list: row.list, day: row.day, papers: row.papers, createdAt: row.created_at,
        ...(row.completed_at ? { completedAt: row.completed_at } : {}),
        counts: tally,
      };
    });
  }

  async markCompleted(id: number): Promise<void> {
    await this.query('UPDATE editions SET completed_at = coalesce(completed_at, now()) WHERE id = $1', [id]);
  }

  async archiveDays(limit: number) {
    return this.query<{ day: string; editionId: number; papers: number; createdAt: string }>(
      `SELECT * FROM (
          SELECT DISTINCT ON (e.day) e.day, e.id AS "editionId", jsonb_array_length(e.papers) AS papers,
            min(e.created_at) OVER (PARTITION BY e.day) AS "createdAt"
          FROM editions e ORDER BY e.day, e.id DESC
        ) newest ORDER BY ${newestFirst('newest.day')} LIMIT $1`,
      [limit],
    );
  }
}

import type pg from 'pg';
import { type DeliveryCounts, daysBefore, type Edition, type EditionStore, type EditionSummary, type NewEdition } from '../../editions/index.js';
import { type EditionRow, editionValues, noListToUse, type SummaryRow, tallyCounts, toEdition, toSummary } from '../common/index.js';
import type { PgQueryable } from './pool.js';
import { editionSql } from './sql/index.js';

/** Editions in PostgreSQL: the same frozen papers and templates, shared by every machine. */
export class PostgresEditionStore implements EditionStore {
  constructor(private readonly db: PgQueryable) {}

  private async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async find(list: string, day: string): Promise<Edition | undefined> {
    const [row] = await this.query<EditionRow>(editionSql.byListAndDay, [list, day]);
    return row && toEdition(row);
  }

  async findById(id: number): Promise<Edition | undefined> {
    const [row] = await this.query<EditionRow>(editionSql.byId, [id]);
    return row && toEdition(row);
  }

  async latestIdOfDay(day: string): Promise<number | undefined> {
    const [row] = await this.query<{ id: number | null }>(editionSql.latestIdOfDay, [day]);
    return row?.id ?? undefined;
  }

  /** Exactly one process creates an edition; any other that raced it gets the stored one. */
  async create(edition: NewEdition): Promise<{ edition: Edition; created: boolean }> {
    const [list] = await this.query<{ id: number }>(editionSql.listId, [edition.list]);
    if (!list) throw noListToUse(edition.list);
    const inserted = await this.query<{ id: number }>(editionSql.insert, editionValues(list.id, edition));
    return { edition: (await this.find(edition.list, edition.day))!, created: inserted.length === 1 };
  }

  async recordTransport(id: number, transport: string | null): Promise<void> {
    await this.query(editionSql.recordTransport, [transport, id]);
  }

  async recentPaperIds(list: string, day: string, days: number): Promise<Set<string>> {
    if (days <= 0) return new Set();
    const rows = await this.query<{ id: string }>(editionSql.recentPaperIds, [list, daysBefore(day, days), day]);
    return new Set(rows.map((row) => row.id));
  }

  async list(options: { list?: string; limit?: number } = {}): Promise<EditionSummary[]> {
    const rows = await this.query<SummaryRow>(editionSql.summaries, [options.list ?? null, options.limit ?? 50]);
    const counts = await this.query<{ edition_id: number; status: keyof DeliveryCounts; n: number }>(editionSql.deliveryCounts, [rows.map((row) => row.id)]);
    return rows.map((row) => toSummary(row, tallyCounts(counts.filter((entry) => entry.edition_id === row.id))));
  }

  async markCompleted(id: number): Promise<void> {
    await this.query(editionSql.markCompleted, [id]);
  }

  async archiveDays(limit: number) {
    return this.query<{ day: string; editionId: number; papers: number; createdAt: string }>(editionSql.archiveDays, [limit]);
  }
}

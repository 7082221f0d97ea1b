import { type DeliveryCounts, daysBefore, type Edition, type EditionStore, type EditionSummary, type NewEdition } from '../../editions/index.js';
import { type EditionRow, editionValues, noListToUse, type SummaryRow, tallyCounts, toEdition, toSummary } from '../common/index.js';
import { type Db, nowIso, statement } from './open.js';
import { editionSql } from './sql/index.js';

export class SqliteEditionStore implements EditionStore {
  constructor(private readonly db: Db) {}

  async find(list: string, day: string): Promise<Edition | undefined> {
    const row = statement(this.db, editionSql.byListAndDay).get(list, day) as EditionRow | undefined;
    return row && toEdition(row);
  }

  async findById(id: number): Promise<Edition | undefined> {
    const row = statement(this.db, editionSql.byId).get(id) as EditionRow | undefined;
    return row && toEdition(row);
  }

  async latestIdOfDay(day: string): Promise<number | undefined> {
    return (statement(this.db, editionSql.latestIdOfDay).get(day) as { id: number | null }).id ?? undefined;
  }

  async create(edition: NewEdition): Promise<{ edition: Edition; created: boolean }> {
    const list = statement(this.db, editionSql.listId).get(edition.list) as { id: number } | undefined;
    if (!list) throw noListToUse(edition.list);
    const inserted = statement(this.db, editionSql.insert).run(...editionValues(list.id, edition), nowIso());
    return { edition: (await this.find(edition.list, edition.day))!, created: inserted.changes === 1 };
  }

  async recordTransport(id: number, transport: string | null): Promise<void> {
    statement(this.db, editionSql.recordTransport).run(transport, id);
  }

  async recentPaperIds(list: string, day: string, days: number): Promise<Set<string>> {
    if (days <= 0) return new Set();
    const rows = statement(this.db, editionSql.recentPaperIds).all(list, daysBefore(day, days), day) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  async list(options: { list?: string; limit?: number } = {}): Promise<EditionSummary[]> {
    const rows = statement(this.db, editionSql.summaries).all(options.list ?? null, options.list ?? null, options.limit ?? 50) as SummaryRow[];
    const countsOf = statement(this.db, editionSql.deliveryCounts);
    return rows.map((row) => toSummary(row, tallyCounts(countsOf.all(row.id) as { status: keyof DeliveryCounts; n: number }[])));
  }

  async markCompleted(id: number): Promise<void> {
    statement(this.db, editionSql.markCompleted).run(nowIso(), id);
  }

  async archiveDays(limit: number) {
    return statement(this.db, editionSql.archiveDays).all(limit) as { day: string; editionId: number; papers: number; createdAt: string }[];
  }
}

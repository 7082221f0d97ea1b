import type { DeliveryCounts, Edition, EditionSummary, NewEdition } from '../../editions/index.js';
import type { Paper } from '../../papers/index.js';
import { fromJson, type JsonColumn } from './json-columns.js';

/** The columns an edition is read with, in SQL both dialects read alike (`e` the edition, `l` its list). */
export const editionColumns = `e.id, l.name AS list, e.day, e.source, e.papers, e.templates, e.templates_version, e.created_at, e.completed_at, e.transport`;

export interface EditionRow {
  id: number;
  list: string;
  day: string;
  source: string;
  papers: JsonColumn<Paper[]>;
  templates: JsonColumn<Edition['templates']>;
  templates_version: string;
  created_at: string;
  completed_at: string | null;
  transport: string | null;
}

export const toEdition = (row: EditionRow): Edition => ({
  id: row.id,
  list: row.list,
  day: row.day,
  source: row.source,
  papers: fromJson(row.papers),
  templates: fromJson(row.templates),
  templatesVersion: row.templates_version,
  createdAt: row.created_at,
  ...(row.completed_at ? { completedAt: row.completed_at } : {}),
  ...(row.transport ? { transport: row.transport } : {}),
});

/** An edition in a list of editions: how many papers, without them. */
export interface SummaryRow {
  id: number;
  list: string;
  day: string;
  papers: number;
  created_at: string;
  completed_at: string | null;
}

export const toSummary = (row: SummaryRow, counts: DeliveryCounts): EditionSummary => ({
  id: row.id,
  list: row.list,
  day: row.day,
  papers: row.papers,
  createdAt: row.created_at,
  ...(row.completed_at ? { completedAt: row.completed_at } : {}),
  counts,
});

/** A new edition's values, in the order both backends' insert statements take them. */
export const editionValues = (listId: number, edition: NewEdition): unknown[] => [
  listId,
  edition.day,
  edition.source,
  JSON.stringify(edition.papers),
  JSON.stringify(edition.templates),
  edition.templatesVersion,
];

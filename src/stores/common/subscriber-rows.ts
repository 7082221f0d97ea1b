import { type Preferences, preferencesOf, type Subscriber, type SubscriberStatus } from '../../subscribers/index.js';
import { fromJson, type JsonColumn } from './json-columns.js';

/** A reader's preference columns as stored (JSON text in SQLite, jsonb in PostgreSQL). */
export interface StoredPreferences {
  topics: JsonColumn<string[]>;
  max_papers: number | null;
  frequency: string;
  alerts: JsonColumn<string[]>;
}

export const storedPreferences = (row: StoredPreferences): Preferences =>
  preferencesOf({ topics: fromJson(row.topics), max_papers: row.max_papers, frequency: row.frequency, alerts: fromJson(row.alerts) });

/** A subscriber as both backends read it: `lists` are the names of the lists they are active on, sorted. */
export interface SubscriberRow extends StoredPreferences {
  id: number;
  email: string;
  name: string;
  status: SubscriberStatus;
  source: Subscriber['source'];
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  last_sent_at: string | null;
  demo: number | boolean;
  lists: JsonColumn<string[]>;
}

export const toSubscriber = (row: SubscriberRow): Subscriber => ({
  id: row.id,
  email: row.email,
  name: row.name,
  status: row.status,
  source: row.source,
  preferences: storedPreferences(row),
  lists: fromJson(row.lists),
  createdAt: row.created_at,
  ...(row.confirmed_at ? { confirmedAt: row.confirmed_at } : {}),
  ...(row.unsubscribed_at ? { unsubscribedAt: row.unsubscribed_at } : {}),
  ...(row.last_sent_at ? { lastSentAt: row.last_sent_at } : {}),
  ...(row.demo ? { demo: true as const } : {}),
});

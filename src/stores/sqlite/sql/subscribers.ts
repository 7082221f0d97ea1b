import { type FilterSql, whereClause } from '../../common/index.js';

/** A subscriber with the lists they are active on (a JSON array, sorted), as common/subscriber-rows.ts reads it. */
const subscriberColumns = `s.id, s.email, s.name, s.status, s.source, s.topics, s.max_papers, s.frequency, s.alerts, s.created_at, s.confirmed_at,
  s.unsubscribed_at, s.last_sent_at, s.demo,
  (SELECT json_group_array(l.name ORDER BY l.name) FROM list_members m JOIN lists l ON l.id = m.list_id
    WHERE m.subscriber_id = s.id AND m.status = 'active') AS lists`;

/** The subscriber store's statements on SQLite. */
export const subscriberSql = {
  byEmailKey: `SELECT ${subscriberColumns} FROM subscribers s WHERE s.email_key = ?`,
  /** The keys as one JSON array: one statement whatever their number. */
  byEmailKeys: `SELECT ${subscriberColumns} FROM subscribers s WHERE s.email_key IN (SELECT value FROM json_each(?))`,
  byId: `SELECT ${subscriberColumns} FROM subscribers s WHERE s.id = ?`,
  /** One page of those a filter picks (common/subscriber-filter.ts), after `@after`. */
  page: ({ join, where }: FilterSql) =>
    `SELECT ${subscriberColumns} FROM subscribers s ${join} WHERE ${['s.id > @after', ...where].join(' AND ')} ORDER BY s.id LIMIT @limit`,
  count: ({ join, where }: FilterSql) => `SELECT count(*) AS n FROM subscribers s ${join}${whereClause(where)}`,
  /** What a merge needs of someone already stored. */
  mergeRowByEmailKey: 'SELECT id, name, status, topics, frequency, alerts FROM subscribers WHERE email_key = ?',
  insert: `INSERT INTO subscribers (email, email_key, name, status, source, topics, frequency, alerts, created_at, confirmed_at, unsubscribed_at, demo)
    VALUES (@email, @email_key, @name, @status, @source, @topics, @frequency, @alerts, @now, @confirmed_at, @unsubscribed_at, @demo)`,
  /** `count` readers added on a day (YYYY-MM-DD) with a status (subscriber-upsert.ts). */
  countAdded: `INSERT INTO reader_status_days (day, status, slot, entered, exited) VALUES (?, ?, 0, ?, 0)
    ON CONFLICT (day, status, slot) DO UPDATE SET entered = entered + excluded.entered`,
  updateMerged: `UPDATE subscribers SET name = @name, status = @status, topics = @topics, frequency = @frequency, alerts = @alerts,
    confirmed_at = coalesce(confirmed_at, @confirmed_at), unsubscribed_at = @unsubscribed_at WHERE id = @id`,
  unsubscribeEverywhere: `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = coalesce(unsubscribed_at, ?)
    WHERE id = ? AND status IN ('active', 'pending')`,
  setStatus: `UPDATE subscribers SET status = @status,
      confirmed_at = CASE WHEN @status = 'active' THEN coalesce(confirmed_at, @now) ELSE confirmed_at END,
      unsubscribed_at = CASE WHEN @status IN ('unsubscribed', 'bounced', 'complained') THEN @now ELSE NULL END
    WHERE id = @id`,
  setPreferences: 'UPDATE subscribers SET topics = ?, max_papers = ?, frequency = ?, alerts = ? WHERE id = ?',
  /** Their memberships and ledger rows go with them (ON DELETE CASCADE). */
  remove: 'DELETE FROM subscribers WHERE id = ?',
  removeDemo: 'DELETE FROM subscribers WHERE demo = 1',
} as const;

/** Lists and who is on them. */
export const listSql = {
  idByName: 'SELECT id FROM lists WHERE name = ?',
  insert: 'INSERT INTO lists (name, description, public, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
  editionCount: 'SELECT count(*) AS n FROM editions WHERE list_id = (SELECT id FROM lists WHERE name = ?)',
  /** Its memberships go with it (ON DELETE CASCADE). */
  remove: 'DELETE FROM lists WHERE name = ?',
  withHeadCounts: `SELECT l.name, l.description, l.public, l.created_at,
      count(m.subscriber_id) AS members,
      count(CASE WHEN m.status = 'active' AND s.status = 'active' THEN 1 END) AS active
    FROM lists l LEFT JOIN list_members m ON m.list_id = l.id LEFT JOIN subscribers s ON s.id = m.subscriber_id
    GROUP BY l.id ORDER BY l.name`,
  membershipStatus: 'SELECT status FROM list_members WHERE list_id = ? AND subscriber_id = ?',
  /** Joins, or joins again after leaving. */
  join: `INSERT INTO list_members (list_id, subscriber_id, status, added_at) VALUES (?, ?, 'active', ?)
    ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = 'active', unsubscribed_at = NULL`,
  leave: `UPDATE list_members SET status = 'unsubscribed', unsubscribed_at = ? WHERE subscriber_id = ?
    AND list_id = (SELECT id FROM lists WHERE name = ?)`,
  /** Leaves every list not named in the JSON array. */
  leaveAllBut: `UPDATE list_members SET status = 'unsubscribed', unsubscribed_at = ? WHERE subscriber_id = ? AND status = 'active'
    AND list_id NOT IN (SELECT id FROM lists WHERE name IN (SELECT value FROM json_each(?)))`,
} as const;

/** The confirmation mails an address got in the last day. */
export const confirmationSql = {
  forgetBefore: 'DELETE FROM confirmation_sends WHERE sent_at < ?',
  sendCounts: 'SELECT count(*) AS today, count(CASE WHEN sent_at > ? THEN 1 END) AS recent FROM confirmation_sends WHERE email_key = ?',
  record: 'INSERT INTO confirmation_sends (email_key, sent_at) VALUES (?, ?)',
} as const;

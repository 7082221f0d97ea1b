import { type FilterSql, whereClause } from '../../common/index.js';

/** A subscriber with the names of the lists they are active on, sorted, as common/subscriber-rows.ts reads it. */
const subscriberColumns = `s.id, s.email, s.name, s.status, s.source, s.topics, s.max_papers, s.frequency, s.alerts, s.created_at, s.confirmed_at,
  s.unsubscribed_at, s.last_sent_at, s.demo,
  ARRAY(SELECT l.name FROM list_members m JOIN lists l ON l.id = m.list_id
    WHERE m.subscriber_id = s.id AND m.status = 'active' ORDER BY l.name) AS lists`;

/** Joins lists, or joins them again after leaving: the rows come from the SELECT that follows. */
const joinMembers = (rows: string) => `INSERT INTO list_members (list_id, subscriber_id, status, added_at)
  ${rows}
  ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = 'active', unsubscribed_at = NULL`;

/** The subscriber store's statements on PostgreSQL. */
export const subscriberSql = {
  byEmailKey: `SELECT ${subscriberColumns} FROM subscribers s WHERE s.email_key = $1`,
  byEmailKeys: `SELECT ${subscriberColumns} FROM subscribers s WHERE s.email_key = ANY($1::text[])`,
  byId: `SELECT ${subscriberColumns} FROM subscribers s WHERE s.id = $1`,
  /** One page of those a filter picks (common/subscriber-filter.ts, its parameters from $3 on), after $1. */
  page: ({ join, where }: FilterSql) =>
    `SELECT ${subscriberColumns} FROM subscribers s ${join} WHERE ${['s.id > $1', ...where].join(' AND ')} ORDER BY s.id LIMIT $2`,
  count: ({ join, where }: FilterSql) => `SELECT count(*) AS n FROM subscribers s ${join}${whereClause(where)}`,
  unsubscribeEverywhere: `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = coalesce(unsubscribed_at, $1)
    WHERE id = $2 AND status IN ('active', 'pending')`,
  setStatus: `UPDATE subscribers SET status = $2,
      confirmed_at = CASE WHEN $2 = 'active' THEN coalesce(confirmed_at, $3) ELSE confirmed_at END,
      unsubscribed_at = CASE WHEN $2 IN ('unsubscribed', 'bounced', 'complained') THEN $3 ELSE NULL END
    WHERE id = $1`,
  setPreferences: 'UPDATE subscribers SET topics = $2, max_papers = $3, frequency = $4, alerts = $5 WHERE id = $1',
  /** Their memberships first: no cascade there (see the migration). */
  removeMemberships: 'DELETE FROM list_members WHERE subscriber_id = $1',
  remove: 'DELETE FROM subscribers WHERE id = $1',
  removeDemo: 'DELETE FROM subscribers WHERE demo',
} as const;

/** An upsert's statements: each takes a whole batch, whatever its size (see subscriber-upsert.ts). */
export const upsertSql = {
  /** Who of the email keys $1 exists already (locked until the transaction ends), and the ids of the lists named in $2. */
  lookup: `SELECT (SELECT json_agg(s) FROM (SELECT id, email_key, name, status, topics, frequency, alerts FROM subscribers WHERE email_key = ANY($1) FOR UPDATE) s) AS existing,
      (SELECT json_object_agg(name, id) FROM lists WHERE name = ANY($2)) AS lists`,
  /** New people and their lists from one JSON document $1, made at $2; returns those inserted (not those another process just did). */
  insert: `WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(email text, email_key text, name text, status text, source text, topics jsonb, frequency text, alerts jsonb,
        confirmed_at timestamptz, unsubscribed_at timestamptz, demo boolean, lists bigint[])
    ), added AS (
      INSERT INTO subscribers (email, email_key, name, status, source, topics, frequency, alerts, created_at, confirmed_at, unsubscribed_at, demo)
      SELECT email, email_key, name, status, source, topics, frequency, alerts, $2, confirmed_at, unsubscribed_at, demo FROM input
      ON CONFLICT (email_key) DO NOTHING RETURNING id, email_key
    ), joined AS (
      INSERT INTO list_members (list_id, subscriber_id, status, added_at)
      SELECT list_id, added.id, 'active', $2 FROM added JOIN input USING (email_key), unnest(input.lists) AS list_id
    )
    SELECT id, email_key FROM added`,
  membershipsOf: 'SELECT m.subscriber_id, l.name, m.status FROM list_members m JOIN lists l ON l.id = m.list_id WHERE m.subscriber_id = ANY($1)',
  updateMerged: `UPDATE subscribers s SET name = u.name, status = u.status, topics = u.topics, frequency = u.frequency, alerts = u.alerts,
      confirmed_at = coalesce(s.confirmed_at, u.confirmed_at), unsubscribed_at = u.unsubscribed_at
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::jsonb[])
      AS u(id, name, status, topics, confirmed_at, unsubscribed_at, frequency, alerts)
    WHERE s.id = u.id`,
  /** The pairs of list ids $1 and subscriber ids $2, at $3. */
  joinLists: joinMembers(`SELECT list_id, subscriber_id, 'active', $3 FROM unnest($1::bigint[], $2::bigint[]) AS j(list_id, subscriber_id)`),
} as const;

/** Lists and who is on them. */
export const listSql = {
  insert: 'INSERT INTO lists (name, description, public) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING id',
  editionCount: 'SELECT count(*) AS n FROM editions WHERE list_id = (SELECT id FROM lists WHERE name = $1)',
  remove: 'DELETE FROM lists WHERE name = $1 RETURNING id',
  /** A removed list's memberships: no cascade there (see the migration). */
  removeMembers: 'DELETE FROM list_members WHERE list_id = $1',
  withHeadCounts: `SELECT l.name, l.description, l.public, l.created_at, count(m.subscriber_id) AS members,
      count(*) FILTER (WHERE m.status = 'active' AND s.status = 'active') AS active
    FROM lists l LEFT JOIN list_members m ON m.list_id = l.id LEFT JOIN subscribers s ON s.id = m.subscriber_id
    GROUP BY l.id ORDER BY l.name`,
  exists: 'SELECT 1 FROM lists WHERE name = $1',
  leave: `UPDATE list_members SET status = 'unsubscribed', unsubscribed_at = $1 WHERE subscriber_id = $2
    AND list_id = (SELECT id FROM lists WHERE name = $3) RETURNING list_id`,
  /** Subscriber $1 leaves every list not named in $2, at $3. */
  leaveAllBut: `UPDATE list_members SET status = 'unsubscribed', unsubscribed_at = $3 WHERE subscriber_id = $1 AND status = 'active'
    AND list_id NOT IN (SELECT id FROM lists WHERE name = ANY($2))`,
  /** Subscriber $1 joins every list named in $2, at $3. */
  joinAll: joinMembers(`SELECT id, $1, 'active', $3 FROM lists WHERE name = ANY($2)`),
} as const;

/** The confirmation mails an address got in the last day. */
/** The first key of every confirmation-allowance lock (an arbitrary constant). */
const confirmationLockSpace = 26_001;

export const confirmationSql = {
  /**
   * One address at a time, whichever server the request reached. The locks are taken in the order
   * of the locks themselves (two addresses may share a hash): two batches that share one never wait
   * for each other in a circle. Two 32-bit keys, the first naming confirmations, so that no lock of
   * one bigint (an edition's run) is ever the same lock.
   */
  lockAddresses: `SELECT pg_advisory_xact_lock(${confirmationLockSpace}, lock)
    FROM (SELECT DISTINCT hashtext(key) AS lock FROM unnest($1::text[]) AS key ORDER BY lock) AS locks`,
  forgetBefore: 'DELETE FROM confirmation_sends WHERE sent_at < $1',
  sendCounts: `SELECT email_key, count(*) AS today, count(*) FILTER (WHERE sent_at > $2) AS recent
    FROM confirmation_sends WHERE email_key = ANY($1::text[]) GROUP BY email_key`,
  record: 'INSERT INTO confirmation_sends (email_key, sent_at) SELECT unnest($1::text[]), $2',
} as const;

import { acted, lastGoodDelivery, softBounceMessages } from '../../common/index.js';

/** The bounce store's statements on PostgreSQL (`hard` is a boolean). */
export const bounceSql = {
  /** The values in the order of common/bounce-rows.ts eventValues. */
  record: `INSERT INTO bounce_events (dedupe_key, subscriber_id, edition_id, kind, email, status, hard, reason, source, action, evidence, received_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (dedupe_key) DO NOTHING`,
  has: 'SELECT 1 FROM bounce_events WHERE dedupe_key = $1',
  /** Of subscriber $1 since $2, the new bounce's edition $3 (or NULL). */
  softBounces: `SELECT ${softBounceMessages('$3::bigint')} FROM bounce_events WHERE subscriber_id = $1 AND kind = 'bounce' AND hard = false AND ${acted}
    AND received_at > $2 AND received_at > coalesce(${lastGoodDelivery('$1', '$3::bigint')}, '-infinity')`,
  /** Since $1, of kind $2, with an action of $4, of edition $5 (each condition holds when its parameter is NULL); at most $3. */
  list: `SELECT * FROM bounce_events WHERE ($1::timestamptz IS NULL OR received_at >= $1) AND ($2::text IS NULL OR kind = $2)
      AND ($4::text[] IS NULL OR action = ANY($4)) AND ($5::bigint IS NULL OR edition_id = $5)
    ORDER BY received_at DESC, id DESC LIMIT $3`,
  byIds: 'SELECT * FROM bounce_events WHERE id = ANY($1::bigint[]) ORDER BY id',
  review: `UPDATE bounce_events SET action = $1, reviewed_at = $2 WHERE id = $3 AND action IN ('unverified', 'held')`,
  feedback: `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND status = 'sent') AS sent,
      count(DISTINCT subscriber_id) FILTER (WHERE kind = 'bounce') AS bounces,
      count(DISTINCT subscriber_id) FILTER (WHERE kind = 'bounce' AND hard) AS "hardBounces",
      count(DISTINCT subscriber_id) FILTER (WHERE kind = 'complaint') AS complaints
    FROM bounce_events WHERE edition_id = $1 AND ${acted}`,
  editionActions: `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND status = 'sent') AS sent,
      count(DISTINCT subscriber_id) FILTER (WHERE action IN ('bounced', 'complained')) AS acted,
      count(*) FILTER (WHERE action = 'held') AS held
    FROM bounce_events WHERE edition_id = $1`,
  actedWithoutEdition: `SELECT count(*) AS n FROM bounce_events WHERE edition_id IS NULL AND action IN ('bounced', 'complained', 'held') AND received_at > $1`,
  sentMessageId: 'SELECT message_id FROM deliveries WHERE edition_id = $1 AND subscriber_id = $2',
  forgetTokensBefore: 'DELETE FROM used_tokens WHERE expires_at < $1',
  useToken: 'INSERT INTO used_tokens (token, expires_at) VALUES ($1, $2) ON CONFLICT (token) DO NOTHING',
} as const;

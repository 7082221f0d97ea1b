import { acted, lastGoodDelivery, softBounceMessages } from '../../common/index.js';

/** The bounce store's statements on SQLite (`hard` is 0/1). */
export const bounceSql = {
  /** The values in the order of common/bounce-rows.ts eventValues. */
  record: `INSERT INTO bounce_events (dedupe_key, subscriber_id, edition_id, kind, email, status, hard, reason, source, action, evidence, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
  has: 'SELECT 1 FROM bounce_events WHERE dedupe_key = ?',
  softBounces: `SELECT ${softBounceMessages('@edition')} FROM bounce_events
    WHERE subscriber_id = @id AND kind = 'bounce' AND hard = 0 AND ${acted}
      AND received_at > @since AND received_at > coalesce(${lastGoodDelivery('@id', '@edition')}, '')`,
  /** Each condition holds when its parameter is NULL. */
  list: `SELECT * FROM bounce_events WHERE (@since IS NULL OR received_at >= @since) AND (@kind IS NULL OR kind = @kind)
      AND (@actions IS NULL OR action IN (SELECT value FROM json_each(@actions))) AND (@edition IS NULL OR edition_id = @edition)
    ORDER BY received_at DESC, id DESC LIMIT @limit`,
  byIds: 'SELECT * FROM bounce_events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id',
  review: `UPDATE bounce_events SET action = ?, reviewed_at = ? WHERE id = ? AND action IN ('unverified', 'held')`,
  feedback: `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = @id AND status = 'sent') AS sent,
      count(DISTINCT CASE WHEN kind = 'bounce' THEN subscriber_id END) AS bounces,
      count(DISTINCT CASE WHEN kind = 'bounce' AND hard = 1 THEN subscriber_id END) AS hardBounces,
      count(DISTINCT CASE WHEN kind = 'complaint' THEN subscriber_id END) AS complaints
    FROM bounce_events WHERE edition_id = @id AND ${acted}`,
  editionActions: `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = @id AND status = 'sent') AS sent,
      count(DISTINCT CASE WHEN action IN ('bounced', 'complained') THEN subscriber_id END) AS acted,
      count(CASE WHEN action = 'held' THEN 1 END) AS held
    FROM bounce_events WHERE edition_id = @id`,
  actedWithoutEdition: `SELECT count(*) AS n FROM bounce_events WHERE edition_id IS NULL AND action IN ('bounced', 'complained', 'held') AND received_at > ?`,
  sentMessageId: 'SELECT message_id FROM deliveries WHERE edition_id = ? AND subscriber_id = ?',
  forgetTokensBefore: 'DELETE FROM used_tokens WHERE expires_at < ?',
  useToken: 'INSERT INTO used_tokens (token, expires_at) VALUES (?, ?) ON CONFLICT (token) DO NOTHING',
} as const;

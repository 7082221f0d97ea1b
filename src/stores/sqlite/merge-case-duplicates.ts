import type { Database } from 'better-sqlite3';

/** Which record of one person survives: the status that protects them most wins. */
const strength: Record<string, number> = { complained: 5, bounced: 4, unsubscribed: 3, active: 2, pending: 1 };

/**
 * Migration 4: an address's identity is its case-folded form (`Ada@x.org` and `ada@x.org` are
 * one mailbox everywhere in practice). Fills `email_key` and merges the records that now share
 * one: the strongest status survives (complained > bounced > unsubscribed > active > pending,
 * then the oldest), list memberships join it (active where either was), and the ledger follows
 * it (a `sent` row wins, so nobody gets an edition twice).
 *
 * The key is `email.toLowerCase()`: the domain is stored lower-cased and IDN-encoded already, so
 * this folds the local part, Unicode included (SQLite's lower() folds ASCII only).
 */
export function mergeCaseDuplicates(db: Database): void {
  db.exec('ALTER TABLE subscribers ADD COLUMN email_key TEXT');
  const rows = db.prepare('SELECT id, email, status, last_sent_at FROM subscribers ORDER BY id').all() as {
    id: number;
    email: string;
    status: string;
    last_sent_at: string | null;
  }[];
  const setKey = db.prepare('UPDATE subscribers SET email_key = ? WHERE id = ?');
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = row.email.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const moveMemberships = db.prepare(`INSERT INTO list_members (list_id, subscriber_id, status, added_at, unsubscribed_at)
      SELECT list_id, @survivor, status, added_at, unsubscribed_at FROM list_members WHERE subscriber_id = @duplicate
      ON CONFLICT (list_id, subscriber_id) DO UPDATE SET
        status = CASE WHEN list_members.status = 'active' OR excluded.status = 'active' THEN 'active' ELSE 'unsubscribed' END,
        unsubscribed_at = CASE WHEN list_members.status = 'active' OR excluded.status = 'active' THEN NULL ELSE list_members.unsubscribed_at END`);
  const keepSent = db.prepare(`UPDATE deliveries AS kept SET status = 'sent', sent_at = gone.sent_at, last_error = NULL, next_attempt_at = NULL
      FROM deliveries AS gone
      WHERE gone.subscriber_id = @duplicate AND gone.status = 'sent' AND kept.subscriber_id = @survivor
        AND kept.edition_id = gone.edition_id AND kept.status <> 'sent'`);
  const moveDeliveries = db.prepare(`UPDATE deliveries SET subscriber_id = @survivor WHERE subscriber_id = @duplicate
      AND edition_id NOT IN (SELECT edition_id FROM deliveries WHERE subscriber_id = @survivor)`);
  const keepLastSent = db.prepare(`UPDATE subscribers SET last_sent_at = max(coalesce(last_sent_at, ''), @lastSent) WHERE id = @survivor`);
  const remove = db.prepare('DELETE FROM subscribers WHERE id = ?');
  for (const [key, group] of groups) {
    const [survivor, ...duplicates] = [...group].sort((a, b) => strength[b.status]! - strength[a.status]! || a.id - b.id);
    for (const duplicate of duplicates) {
      const ids = { survivor: survivor!.id, duplicate: duplicate.id };
      moveMemberships.run(ids);
      keepSent.run(ids);
      moveDeliveries.run(ids);
      if (duplicate.last_sent_at) keepLastSent.run({ survivor: survivor!.id, lastSent: duplicate.last_sent_at });
      remove.run(duplicate.id); // its remaining memberships and ledger rows go with it (ON DELETE CASCADE)
    }
    setKey.run(key, survivor!.id);
  }
  db.exec('CREATE UNIQUE INDEX subscribers_email_key ON subscribers (email_key)');
}

/**
 * A generated store for bench:admin, written in bulk SQL (a million readers through the store's
 * API would take most of an hour): readers who came over the last year, by the form (confirmed
 * some hours later, a few never), imports and the CLI, some of whom left (unsubscribed, bounced,
 * complained); 30 daily editions, the newest `fullEditions` with a ledger row per reader who was
 * active that day (sent, a few failed or skipped) and the older ones as the counts the store keeps
 * of a finished edition; bounces and complaints coming back for each. The readers are written as
 * the version before the admin dashboard kept them, so opening the store runs its real migration,
 * which tells their history from their rows.
 */

/** What a backend spells differently in the generating SQL. */
export interface GenerationDialect {
  /** A table `n(i)` of 1 to `count`, for a WITH clause. */
  series(count: number): string;
  /** A timestamp from seconds since 1970 (SQLite: ISO text as the store writes it). */
  time(seconds: string): string;
  /** JSON from text. */
  json(text: string): string;
  true: string;
}

export const sqliteGeneration: GenerationDialect = {
  series: (count) => `n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`,
  time: (seconds) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch')`,
  json: (text) => text,
  true: '1',
};

export const postgresGeneration: GenerationDialect = {
  series: (count) => `n(i) AS (SELECT generate_series(1, ${count})::bigint)`,
  time: (seconds) => `to_timestamp(${seconds})`,
  json: (text) => `(${text})::jsonb`,
  true: 'true',
};

const daySeconds = 86_400;
/** Why messages fail, each for `share` in a thousand readers of an edition (fateOf below 10); 10 to 14 are skipped. */
const reasons = [
  { share: 6, kind: 'bounce', reason: '550 5.1.1 <reader@example.org>: Recipient address rejected: User unknown' },
  { share: 3, kind: 'reject', reason: '552 5.2.2 Mailbox full' },
  { share: 1, kind: 'policy', reason: '554 5.7.1 Message rejected as spam' },
].map((each, index, all) => ({ ...each, from: all.slice(0, index).reduce((sum, { share }) => sum + share, 0) }));

/** A CASE branch per failure reason, naming its `field` for the readers whose fate falls in its band. */
const byReason = (fate: string, field: 'kind' | 'reason') => reasons.map((each) => `WHEN ${fate} < ${each.from + each.share} THEN '${each[field]}'`).join(' ');

/** The readers and their lists, `now` in seconds since 1970. */
export function readersSql(d: GenerationDialect, readers: number, now: number): string[] {
  const start = now - 365 * daySeconds;
  // kind: 60% the web form (2.5% of them never confirm), 30% an import, 10% the CLI; fate: 12% unsubscribe, 4% bounce, 1% complain, some days after they came.
  return [
    `WITH RECURSIVE ${d.series(readers)},
      r AS (SELECT i, ${start} + i * ${365 * daySeconds}.0 / ${readers} + (i * 7) % 3600 AS created, (i * 7919) % 1000 AS kind, (i * 104729) % 1000 AS fate FROM n),
      c AS (SELECT i, created, kind, fate,
          CASE WHEN kind < 25 THEN NULL WHEN kind < 600 THEN created + 3600 * (1 + kind % 48) ELSE created END AS confirmed FROM r),
      t AS (SELECT i, created, kind, fate, CASE WHEN confirmed <= ${now} THEN confirmed END AS confirmed,
          CASE WHEN fate < 170 AND confirmed + ${daySeconds} * (1 + fate % 200) <= ${now} THEN confirmed + ${daySeconds} * (1 + fate % 200) END AS leaving FROM c)
    INSERT INTO subscribers (email, email_key, name, status, source, topics, created_at, confirmed_at, unsubscribed_at, frequency, alerts)
    SELECT 'reader' || i || '@example' || (i % 500) || '.org', 'reader' || i || '@example' || (i % 500) || '.org', 'Reader ' || i,
      CASE WHEN confirmed IS NULL THEN 'pending' WHEN leaving IS NULL THEN 'active' WHEN fate < 120 THEN 'unsubscribed' WHEN fate < 160 THEN 'bounced' ELSE 'complained' END,
      CASE WHEN kind < 600 THEN 'web' WHEN kind < 900 THEN 'import' ELSE 'cli' END,
      '[]', ${d.time('created')}, ${d.time('confirmed')}, ${d.time('leaving')}, 'daily', '[]'
    FROM t ORDER BY i`,
    `INSERT INTO list_members (list_id, subscriber_id, status, added_at, unsubscribed_at)
    SELECT 1, id, CASE WHEN unsubscribed_at IS NULL THEN 'active' ELSE 'unsubscribed' END, created_at, unsubscribed_at FROM subscribers`,
  ];
}

/** Active at `at` (seconds): confirmed by then and not left yet. */
const activeAt = (d: GenerationDialect, at: number) =>
  `s.confirmed_at <= ${d.time(String(at))} AND (s.unsubscribed_at IS NULL OR s.unsubscribed_at > ${d.time(String(at))})`;

/** 0 to 999 per reader and edition: who failed (below 10) or was skipped (10 to 14). */
const fateOf = (edition: number) => `(s.id * 31 + ${edition}) % 1000`;

export interface GeneratedEdition {
  id: number;
  day: string;
  /** When it went out, in seconds since 1970. */
  at: number;
}

/** An edition's ledger: a row for every reader active when it went out, sent over ten minutes from `at`. */
export function deliveriesSql(d: GenerationDialect, edition: GeneratedEdition, readers: number): string {
  const sent = d.time(`${edition.at} + s.id * 600.0 / ${readers}`);
  const fate = fateOf(edition.id);
  return `INSERT INTO deliveries (edition_id, subscriber_id, status, attempts, last_error, message_id, claimed_at, sent_at, claimed_by, failure_kind)
    SELECT ${edition.id}, s.id, CASE WHEN ${fate} < 10 THEN 'failed' WHEN ${fate} < 15 THEN 'skipped' ELSE 'sent' END, 1,
      CASE ${byReason(fate, 'reason')} WHEN ${fate} < 15 THEN 'no longer subscribed' END,
      '<${edition.day}.${edition.id}.' || s.id || '@bench.example>', ${sent}, CASE WHEN ${fate} >= 15 THEN ${sent} END,
      CASE WHEN ${fate} >= 15 THEN 'bench:1:run' END, CASE ${byReason(fate, 'kind')} END
    FROM subscribers s WHERE ${activeAt(d, edition.at)} ORDER BY s.id`;
}

/** Bounces (0.5%) and complaints (0.03%) about the messages an edition sent, an hour after it went out. */
export function reportsSql(d: GenerationDialect, edition: GeneratedEdition): string {
  const sample = `(s.id * 97 + ${edition.id}) % 10000`;
  return `INSERT INTO bounce_events (dedupe_key, subscriber_id, edition_id, kind, email, status, hard, reason, source, action, evidence, received_at)
    SELECT '<report-${edition.id}-' || s.id || '@mx>', s.id, ${edition.id}, CASE WHEN ${sample} < 50 THEN 'bounce' ELSE 'complaint' END, s.email_key,
      CASE WHEN ${sample} < 50 THEN '5.1.1' END, CASE WHEN ${sample} < 50 THEN ${d.true} END, CASE WHEN ${sample} < 50 THEN '550 5.1.1 User unknown' END,
      'ingest', CASE WHEN ${sample} < 50 THEN 'bounced' ELSE 'complained' END, 'return-path', ${d.time(String(edition.at + 3600))}
    FROM subscribers s WHERE ${activeAt(d, edition.at)} AND ${fateOf(edition.id)} >= 15 AND ${sample} < 53`;
}

/**
 * The counts the store keeps of a finished edition whose ledger is not generated, as a finished
 * send leaves them: its readers of that day, sent but for the same shares failed and skipped.
 */
export function keptCountsSql(d: GenerationDialect, edition: GeneratedEdition): string {
  const fate = fateOf(edition.id);
  const groups = reasons.map(
    ({ kind, reason, from, share }) =>
      `'{"status":"failed","kind":"${kind}","reason":"${reason}","count":' || sum(CASE WHEN ${fate} >= ${from} AND ${fate} < ${from + share} THEN 1 ELSE 0 END) || '}'`,
  );
  return `INSERT INTO edition_counts (edition_id, pending, sending, sent, retry, failed, skipped, first_sent_at, last_sent_at, failure_groups, failed_domains, relays, counted_at)
    SELECT ${edition.id}, 0, 0, sum(CASE WHEN ${fate} >= 15 THEN 1 ELSE 0 END), 0, sum(CASE WHEN ${fate} < 10 THEN 1 ELSE 0 END),
      sum(CASE WHEN ${fate} >= 10 AND ${fate} < 15 THEN 1 ELSE 0 END), ${d.time(String(edition.at))}, ${d.time(String(edition.at + 600))},
      ${d.json(`'[' || ${groups.join(" || ',' || ")} || ']'`)}, '[]', '[]', ${d.time(String(edition.at + 600))}
    FROM subscribers s WHERE ${activeAt(d, edition.at)}`;
}

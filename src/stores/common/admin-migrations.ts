import type { MigrationDialect } from './migrations.js';
import { typeSpelling } from './schema.js';

/**
 * The admin side's sign-in state (both backends, the same step): sessions and one-time sign-in
 * links by the SHA-256 of their secret (the secrets themselves are never stored), recent sign-in
 * attempts by `ip:…` or `account:…` (pruned as new ones are written; `attempt` ties the rows of one
 * attempt together, so it can be taken back alone), and the audit trail.
 */
export function adminAuthTables(dialect: MigrationDialect): string {
  const t = typeSpelling[dialect.backend];
  return `
  CREATE TABLE admin_sessions (
    id_hash ${t.text} PRIMARY KEY,
    account ${t.text} NOT NULL,
    created_at ${t.timestamp} NOT NULL,
    last_seen_at ${t.timestamp} NOT NULL,
    expires_at ${t.timestamp} NOT NULL,
    ip ${t.text} NOT NULL
  )${dialect.withoutRowid};
  CREATE TABLE admin_links (
    token_hash ${t.text} PRIMARY KEY,
    created_at ${t.timestamp} NOT NULL,
    expires_at ${t.timestamp} NOT NULL,
    used_at ${t.timestamp}
  )${dialect.withoutRowid};
  CREATE TABLE admin_login_failures (key ${t.text} NOT NULL, at ${t.timestamp} NOT NULL, attempt ${t.text} NOT NULL);
  CREATE INDEX admin_login_failures_key ON admin_login_failures (key, at);
  CREATE TABLE admin_audit (
    id ${dialect.serialKey},
    at ${t.timestamp} NOT NULL,
    account ${t.text} NOT NULL,
    ip ${t.text} NOT NULL,
    action ${t.text} NOT NULL,
    target ${t.text},
    detail ${t.json} NOT NULL
  );
  `;
}

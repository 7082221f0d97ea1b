/**
 * A transport or database URL without its password: smtp(s):// and postgres(ql):// only (an
 * outbox folder or a module path has none). The password comes back through PAPERBOY_SMTP_PASS
 * or PGPASSWORD; `hadPassword` says one was dropped.
 */
export function withoutPassword(spec: string): { spec: string; hadPassword: boolean } {
  try {
    const url = new URL(spec);
    if (!url.password || !/^(smtps?|postgres(ql)?):$/.test(url.protocol)) return { spec, hadPassword: false };
    url.password = '';
    return { spec: url.href.replace(/\/$/, ''), hadPassword: true };
  } catch {
    return { spec, hadPassword: false };
  }
}

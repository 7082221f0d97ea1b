export const isPostgresUrl = (url: string | undefined): url is string => url !== undefined && /^postgres(ql)?:\/\//.test(url);

/**
 * The URL without its password, for messages: the user info is everything between :// and the
 * last @, whatever the password holds (a / or an @ that was never %-escaped breaks URL parsing).
 */
export function redactDatabaseUrl(url: string): string {
  const start = url.indexOf('://') + 3;
  const at = url.lastIndexOf('@');
  if (start < 3 || at < start) return url;
  const userInfo = url.slice(start, at);
  const colon = userInfo.indexOf(':');
  return colon === -1 ? url : `${url.slice(0, start)}${userInfo.slice(0, colon)}:***${url.slice(at)}`;
}

/** A JSON column as the driver hands it over: text from SQLite, already parsed from PostgreSQL's jsonb. */
export type JsonColumn<T> = string | T;

/** The value of a JSON column, whichever backend read it. */
export const fromJson = <T>(value: JsonColumn<T>): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/** What `demo clear` took out of a store. */
export interface ClearedDemo {
  /** Editions made from the bundled sample papers that never went out through a real transport. */
  editions: number;
  /** The demo readers seeded from example.csv (their deliveries and reports go with them). */
  readers: number;
  /** The bundled sample papers kept in the papers archive (served for any day, they are no real day's). */
  papers: number;
}

/**
 * The demo's editions, in SQL both stores read alike: made from the sample papers, and sent (if at
 * all) only into the outbox or onto stdout. One that went out through SMTP or a module is history
 * someone received, and stays.
 */
export const demoEditionsWhere = `source = 'sample' AND (transport IS NULL OR transport LIKE 'outbox:%' OR transport LIKE 'json%')`;

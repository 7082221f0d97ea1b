import { z } from 'zod';
import { isPasswordHash } from '../admin/index.js';

/**
 * The admin dashboard on `paperboy serve` (/admin): off unless this section is present. With a
 * password hash, the operator signs in with the password; with `admin: {}` only through the
 * one-time links `paperboy admin link` prints.
 */
export const adminSchema = z.strictObject({
  /** The name to sign in with. */
  account: z.string().trim().min(1).max(100).default('admin'),
  /** What `paperboy admin hash-password` prints (or PAPERBOY_ADMIN_PASSWORD_HASH); absent: sign-in links only. */
  passwordHash: z.string().refine(isPasswordHash, { message: 'must be a line printed by paperboy admin hash-password (scrypt$ln=17,r=8,p=1$…$…)' }).optional(),
  /** A session unused this long ends. */
  idleMinutes: z.number().min(1).max(1440).default(30),
  /** A session ends this long after sign-in, however busy. */
  sessionHours: z.number().min(0.1).max(720).default(12),
  /** Failed sign-ins one address, or one account, may make a minute; the next is refused unchecked. */
  loginAttemptsPerMinute: z.number().int().min(1).max(100).default(5),
});

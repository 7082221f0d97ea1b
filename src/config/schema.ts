import { z } from 'zod';
import { isTimeZone } from '../time-zone.js';
import { adminSchema } from './admin.js';

const timeZone = z.string().refine(isTimeZone, { message: 'is not an IANA time zone (e.g. Europe/Berlin)' });

/** Defaults fit for the outbox, never for real mail: sending to people with them is refused. */
export const placeholderFrom = 'Paperboy <digest@paperboy.localhost>';
export const placeholderBaseUrl = 'http://localhost:8080';
/** The outbox folder inside the data directory: each store keeps its own messages. */
export const defaultTransport = 'outbox:';

/** One relay of `delivery.relays`; what is left out is resolved in relays.ts (its name, its connections). */
const relaySchema = z.strictObject({
  /** A transport URL as `transport` takes it. */
  url: z.string().regex(/^(smtps?:\/\/|outbox:|json:?$|module:)/, { message: 'must be a transport URL: smtp://, smtps://, outbox:, json: or module:' }),
  /** A label for summaries and the ledger; default: the URL's host:port (never its password). */
  name: z.string().trim().min(1).max(100).optional(),
  /** Its share of the messages, against the other relays' weights. */
  weight: z.number().gt(0).default(1),
  /** Its SMTP pool size; default: delivery.maxConnections. */
  maxConnections: z.number().int().min(1).max(100).optional(),
  /** Messages per second through this relay; 0 for no limit. */
  rateLimit: z.number().min(0).default(0),
  /** Recipient domains this relay serves (gmail.com, googlemail.com): their mail goes only through the relays that list them. */
  domains: z
    .array(z.string().regex(/^[^@\s]+\.[^@\s]+$/, { message: 'must be a recipient domain, e.g. gmail.com' }))
    .min(1)
    .optional(),
});

/** Every setting paperboy reads, with its default. Unknown keys are errors (strict objects). */
export const configSchema = z.strictObject({
  /** Where papers come from: hf, sample or file:PATH. */
  source: z.string().min(1).default('sample'),
  /** The zone whose calendar decides what "today" is. */
  timezone: timeZone.default('UTC'),
  /** Which day an edition covers: today, or yesterday (the Daily Papers list fills during its day). */
  editionDay: z.enum(['today', 'yesterday']).default('today'),
  /** A template folder of your own; files it lacks come from the bundled templates/. */
  templates: z.string().min(1).optional(),
  /** The data directory: the SQLite database and the signing secret live here. */
  dataDir: z.string().min(1).default('subscribers'),
  /**
   * A PostgreSQL server as the store (postgres://user:pass@host/db), for several machines on one
   * list. Absent: the SQLite file in the data directory.
   */
  database: z
    .string()
    .regex(/^postgres(ql)?:\/\//, {
      message: 'must be a postgres:// URL, e.g. postgres://paperboy:secret@db.example.org/paperboy (leave it out for the SQLite file in the data directory)',
    })
    .optional(),
  /** Where `paperboy preview` writes. */
  previewDir: z.string().min(1).default('preview'),
  selection: z
    .strictObject({
      top: z.number().int().min(1).max(100).default(10),
      minUpvotes: z.number().int().min(0).default(0),
      /** Papers featured in this many past days' editions are not repeated. */
      skipRecentDays: z.number().int().min(0).default(7),
      /** Papers in the weekly roundup: the week's most upvoted. */
      weeklyTop: z.number().int().min(1).max(100).default(10),
    })
    .prefault({}),
  newsletter: z
    .strictObject({
      name: z.string().min(1).default('Paperboy Daily Papers'),
      from: z.string().min(1).default(placeholderFrom),
      replyTo: z.string().min(1).optional(),
      /** Also offer unsubscribing by mail in List-Unsubscribe (e.g. unsubscribe@example.org). */
      unsubscribeMailto: z.string().min(1).optional(),
      /** Public base URL of `paperboy serve`: unsubscribe, preferences and web-version links start here. */
      baseUrl: z.url({ protocol: /^https?$/ }).default(placeholderBaseUrl),
      /** Show the top paper's thumbnail at the head of the digest. */
      heroImage: z.boolean().default(true),
      /** Who sends the digest, as a postal address for the footer (anti-spam laws ask for one). */
      postalAddress: z.string().trim().min(1).max(200).optional(),
    })
    .prefault({}),
  /** Where messages go: smtp://…, smtps://…, outbox:DIR (a bare outbox: is DATA_DIR/outbox), json: or module:PATH. */
  transport: z.string().min(1).default(defaultTransport),
  delivery: z
    .strictObject({
      /**
       * Messages in flight at once (a crash re-sends at most this many; only those whose data had
       * gone out, at most one per connection, can arrive twice). Absent: 3 per SMTP connection, so
       * each keeps one message's data out, the next one's envelope behind it and a third ready.
       */
      concurrency: z.number().int().min(1).max(200).optional(),
      /** SMTP pool size (of each relay, unless it sets its own). */
      maxConnections: z.number().int().min(1).max(100).default(10),
      /** Several relays, messages spread by weight (docs/delivery.md, "Several relays"); absent or empty: `transport` alone. */
      relays: z.array(relaySchema).optional(),
      /** Messages per second over the whole run; 0 for no limit. */
      rateLimit: z.number().min(0).default(0),
      /** Attempts per message, across runs, before it is marked failed (a cap; the retry window usually ends first). */
      maxAttempts: z.number().int().min(1).max(1000).default(100),
      /** First retry delay of a deferred message; it doubles with each attempt, up to 30 minutes. */
      retryBaseMs: z.number().int().min(0).default(30_000),
      /** How long one run waits for retries before it leaves the messages still deferred to later runs (and `schedule`). */
      retryWindowMinutes: z.number().min(0).default(1),
      /** How long a deferred message is tried again, across runs, from its first deferral, before it fails (MTAs keep mail 1–5 days). */
      retryWindowHours: z.number().min(0).default(48),
      /** Rejections in a row, or distinct messages deferred with nothing getting through, that pause the run. */
      pauseAfterFailures: z.number().int().min(1).default(50),
      /** Connection failures in a row (refused, DNS, TLS, 421 at one connection) that pause the run; one timeout with nothing accepted meanwhile does too. */
      pauseAfterOutages: z.number().int().min(1).default(3),
      /** Policy refusals (5.7.x) in a row, nothing accepted between, that are about us: the run pauses. Fewer, among accepted ones, are about their recipients. */
      pauseAfterPolicyRejects: z.number().int().min(1).default(5),
      /** The bounce circuit breaker: more bounces than this in a row pause the run and undo them… */
      maxBouncesInARow: z.number().int().min(1).default(20),
      /** …as do more than maxBounceRate of this many latest outcomes, of the run or of one recipient domain (that domain's mail then waits). */
      bounceWindow: z.number().int().min(2).default(200),
      /** A healthy list bounces 0.1–2% of a send: far more is a broken relay or a bad import, not the readers. */
      maxBounceRate: z.number().min(0).max(1).default(0.05),
      /** A sender silent this long (stopped, frozen, its machine gone) loses the edition to the next run. */
      leaseSeconds: z.number().min(2).default(120),
      /** What a 5xx for a recipient does to the subscriber: mark them bounced, or keep them. */
      bouncePolicy: z.enum(['bounce', 'keep']).default('bounce'),
      tlsRejectUnauthorized: z.boolean().default(true),
      /** Body parts as 8bit UTF-8 (RFC 6152, a third smaller) or base64 (for a relay without 8BITMIME). */
      bodyEncoding: z.enum(['8bit', 'base64']).default('8bit'),
      dkim: z.strictObject({ domainName: z.string().min(1), keySelector: z.string().min(1), privateKeyFile: z.string().min(1) }).optional(),
      /**
       * VERP: the envelope sender of each message, with `{token}` where a signed token of the edition
       * and the reader goes (e.g. bounces+{token}@example.org), so every bounce finds its reader.
       */
      returnPath: z
        .string()
        .regex(/^[^@\s]*\{token\}[^@\s]*@[^@\s]+\.[^@\s]+$/, { message: 'must be an address with {token} in its local part, e.g. bounces+{token}@example.org' })
        .optional(),
    })
    .prefault({}),
  bounces: z
    .strictObject({
      /** Soft bounces (a full mailbox, a block) that make a reader bounced… */
      softLimit: z.number().int().min(1).default(3),
      /** …within this many days, with no delivery getting through in between. */
      softWindowDays: z.number().min(1).default(30),
      /**
       * What a report must show before it changes a reader. "proof" (the default): a VERP token, a
       * Message-ID with its MAC, a signed unsubscribe link, or a provider's signed webhook; a report
       * that only names an address is kept as unverified for the operator. "mailbox": an address
       * is enough too; only when nobody but mail servers can put mail into the bounce mailbox.
       */
      trust: z.enum(['proof', 'mailbox']).default('proof'),
      /** The inbound breaker: reports that would take more readers off than this are held, not acted on. */
      breaker: z
        .strictObject({
          /** Readers of one edition that reports may bounce or complain, as a share of those it reached… */
          editionShare: z.number().min(0).max(1).default(0.05),
          /** …but never fewer than this many (a small list). */
          editionFloor: z.number().int().min(1).default(20),
          /** Reports naming no edition (matched by address) that may act within one hour. */
          perHour: z.number().int().min(1).default(100),
        })
        .prefault({}),
      /** A mailbox to read bounces from (paperboy bounces watch, and paperboy schedule). */
      imap: z
        .strictObject({
          /** imaps://user:pass@imap.example.org (or imap://, which must offer STARTTLS); the password may come from PAPERBOY_IMAP_PASS. */
          url: z.string().regex(/^imaps?:\/\//, { message: 'must be an imaps:// or imap:// URL, e.g. imaps://bounces@imap.example.org' }),
          mailbox: z.string().min(1).default('INBOX'),
          /** Where read messages are moved (created if missing). */
          processedMailbox: z.string().min(1).default('Processed'),
          intervalSeconds: z.number().min(1).default(60),
          tlsRejectUnauthorized: z.boolean().default(true),
          /**
           * imap:// without STARTTLS, the password in clear: only to a server on this machine's
           * loopback (a local Dovecot). Anywhere else imap:// must offer STARTTLS, or use imaps://.
           */
          allowCleartext: z.boolean().default(false),
        })
        .optional(),
      /** Provider webhooks on paperboy serve (/webhooks/bounces/…); each is off until configured. */
      webhooks: z
        .strictObject({
          ses: z
            .strictObject({
              /** Hosts the SNS signing certificate may come from: a pattern the whole host name must match (https, port 443); anything else is refused. */
              certificateHosts: z.string().min(1).default('sns\\.[a-z]{2}(-[a-z]+)+-\\d+\\.amazonaws\\.com(\\.cn)?'),
              /**
               * The topic whose notifications count, and the only one whose subscription is confirmed.
               * Required: Amazon signs every topic's messages, so without it anyone's topic could
               * subscribe this endpoint and publish complaints that take readers off the list.
               */
              topicArn: z
                .string()
                .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN, e.g. arn:aws:sns:eu-west-1:123456789012:ses-bounces'),
            })
            .optional(),
          postmark: z.strictObject({ user: z.string().min(1), password: z.string().min(1) }).optional(),
          mailgun: z.strictObject({ signingKey: z.string().min(1) }).optional(),
          /** SendGrid's signed event webhook: its verification key (base64, as SendGrid shows it). */
          sendgrid: z.strictObject({ publicKey: z.string().min(1) }).optional(),
          /** Any MTA script: an HMAC-SHA256 of the body with this secret, in X-Paperboy-Signature. */
          generic: z.strictObject({ secret: z.string().min(16) }).optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  schedule: z
    .strictObject({
      /** node-cron expression (minute hour day month weekday). */
      cron: z.string().min(1).default('0 7 * * *'),
      /** When the weekly roundup of the last complete week goes out (node-cron; default Monday 07:00); "" for never. */
      weeklyCron: z.string().default('0 7 * * 1'),
      /** Zone of the cron expression; defaults to `timezone`. */
      timezone: timeZone.optional(),
      /** A run starting this many minutes after its planned time is skipped (stale digest). */
      staleAfterMinutes: z.number().int().min(1).default(180),
      /** Lists the scheduled run sends to. */
      lists: z.array(z.string().min(1)).min(1).default(['default']),
    })
    .prefault({}),
  web: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(8080),
      host: z.string().min(1).default('127.0.0.1'),
      /**
       * Behind a reverse proxy: which X-Forwarded-For hops to believe (per-IP limits need the real
       * address): how many proxies are in front (1 for one nginx), or their addresses (a string,
       * comma-separated, CIDR allowed, or a list). `true` would believe whatever a client writes.
       */
      trustProxy: z
        .union([z.literal(false), z.literal(true), z.number().int().min(1).max(10), z.string().min(1), z.array(z.string().min(1)).min(1)])
        .refine((value) => value !== true, {
          message:
            'must not be true: that believes any X-Forwarded-For a client writes. Write the number of proxies in front of paperboy (1 for one nginx) or their addresses ("127.0.0.1", a list or a CIDR)',
        })
        .default(false),
      /** Subscribe attempts per IP address per window. */
      subscribeLimit: z.number().int().min(1).default(5),
      subscribeWindowMinutes: z.number().min(0.01).default(10),
      /** Bounce webhook requests one address may make a minute (a provider posts from few; a flood from one gets 429). */
      webhooksPerMinute: z.number().int().min(1).default(600),
      /** Confirmation mails to one address: at most one per this many minutes… */
      confirmationIntervalMinutes: z.number().min(0).default(10),
      /** …and this many a day, whoever asks and from wherever. */
      confirmationsPerDay: z.number().int().min(1).default(3),
      /** How long a confirmation link works. */
      confirmDays: z.number().min(0.01).default(7),
      /** Topics offered on the subscribe and preferences pages. */
      topics: z.array(z.string().min(1)).default(['agents', 'reasoning', 'vision', 'code', 'math', 'robotics', 'audio', 'efficiency']),
    })
    .prefault({}),
  /** The admin dashboard on serve (/admin, docs/admin.md); absent: off. */
  admin: adminSchema.optional(),
  hf: z
    .strictObject({
      baseUrl: z.url({ protocol: /^https?$/ }).default('https://huggingface.co'),
      timeoutMs: z.number().int().min(100).default(15_000),
      retries: z.number().int().min(0).max(10).default(4),
      backoffMs: z.number().int().min(0).default(1_000),
      pageSize: z.number().int().min(1).max(100).default(100),
      maxPages: z.number().int().min(1).default(20),
      userAgent: z.string().min(1).default('paperboy/0.1 (+https://github.com/paperboy-newsletter/paperboy)'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

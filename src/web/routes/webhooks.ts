import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type BounceStore,
  type BounceVerdict,
  ingestDeps,
  ingestVerdict,
  verdictFromMailgun,
  verdictFromPostmark,
  verdictFromSes,
  verdictsFromGeneric,
  verdictsFromSendgrid,
} from '../../bounces/index.js';
import type { Config } from '../../config/index.js';
import { messageOf } from '../../errors.js';
import type { WebDeps } from '../context.js';
import {
  basicAuthValid,
  genericSignatureValid,
  mailgunSignature,
  type SnsMessage,
  sendgridSignatureValid,
  snsSignatureValid,
  snsUrlAllowed,
} from '../webhook-signatures.js';

type Webhooks = Config['bounces']['webhooks'];
type Provider = keyof Webhooks;
const providers: readonly Provider[] = ['ses', 'postmark', 'mailgun', 'sendgrid', 'generic'];

/**
 * Body limits per provider. SendGrid batches up to thousands of events, and it and the generic
 * hook are checked before their JSON is read. Mailgun and SNS carry their signature inside the
 * JSON, so an unsigned body is parsed before it can be refused: they send one event a request,
 * and a small limit keeps that parse cheap (SNS messages are at most 256 KB).
 */
const bodyLimits: Record<Provider, number> = { sendgrid: 1024 * 1024, generic: 1024 * 1024, postmark: 256 * 1024, ses: 300 * 1024, mailgun: 128 * 1024 };

/**
 * What a request proved. `refused` is a 401 and nothing changes; `malformed` is a 400 (signed, but
 * not a body this provider sends: sending it again would not help); otherwise its events.
 */
type Checked = { kind: 'refused' } | { kind: 'malformed' } | { kind: 'events'; verdicts: BounceVerdict[]; reply?: string };

const refused: Checked = { kind: 'refused' };
const malformed: Checked = { kind: 'malformed' };
const events = (verdicts: BounceVerdict[], reply?: string): Checked => ({ kind: 'events', verdicts, ...(reply ? { reply } : {}) });

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

async function checkSes(settings: NonNullable<Webhooks['ses']>, body: string, request: FastifyRequest): Promise<Checked> {
  const message = parseJson(body);
  if (!isObject(message)) return refused;
  // The topic first: a message for anyone else's topic costs no certificate fetch and no signature check.
  if (message.TopicArn !== settings.topicArn) return refused;
  if (!(await snsSignatureValid(message as unknown as SnsMessage, settings.certificateHosts))) return refused;
  const sns = message as unknown as SnsMessage;
  if (sns.Type === 'SubscriptionConfirmation') {
    // Amazon asks once whether this endpoint wants the topic: visiting SubscribeURL says yes.
    if (!sns.SubscribeURL || !snsUrlAllowed(sns.SubscribeURL, settings.certificateHosts)) return refused;
    const response = await fetch(sns.SubscribeURL, { signal: AbortSignal.timeout(10_000) });
    // Amazon did not take the confirmation: fail, so SNS sends the request again.
    if (!response.ok) throw new Error(`SubscribeURL answered HTTP ${response.status}`);
    request.log.info({ topic: sns.TopicArn, status: response.status }, 'bounce webhook: SNS subscription confirmed');
    return events([], 'subscription confirmed');
  }
  if (sns.Type !== 'Notification') return events([]);
  return events([verdictFromSes(sns.MessageId, sns.Message)]);
}

/** Mailgun: the signature (inside the body), then each token once across every process on the store. */
async function checkMailgun(signingKey: string, body: string, bounces: BounceStore, now: Date): Promise<Checked> {
  const json = parseJson(body);
  if (!isObject(json)) return refused;
  const signature = mailgunSignature(signingKey, json.signature, now.getTime());
  if (!signature || !(await bounces.firstUse(`mailgun:${signature.token}`, signature.rememberUntil, now))) return refused;
  return isObject(json['event-data']) ? events([verdictFromMailgun(json)]) : malformed;
}

/** Checks the request as its provider signs it, and only then reads its events. */
async function check(provider: Provider, webhooks: Webhooks, request: FastifyRequest, body: string, bounces: BounceStore, now: Date): Promise<Checked> {
  switch (provider) {
    case 'ses':
      return checkSes(webhooks.ses!, body, request);
    case 'postmark': {
      const { user, password } = webhooks.postmark!;
      if (!basicAuthValid(header(request, 'authorization'), user, password)) return refused;
      const json = parseJson(body);
      return isObject(json) ? events([verdictFromPostmark(json)]) : malformed;
    }
    case 'mailgun':
      return checkMailgun(webhooks.mailgun!.signingKey, body, bounces, now);
    case 'sendgrid': {
      const signature = header(request, 'x-twilio-email-event-webhook-signature');
      const timestamp = header(request, 'x-twilio-email-event-webhook-timestamp');
      if (!sendgridSignatureValid(webhooks.sendgrid!.publicKey, signature, timestamp, body, now.getTime())) return refused;
      const json = parseJson(body);
      return Array.isArray(json) && json.every(isObject) ? events(verdictsFromSendgrid(json)) : malformed;
    }
    case 'generic': {
      if (!genericSignatureValid(webhooks.generic!.secret, header(request, 'x-paperboy-signature'), body)) return refused;
      const json = parseJson(body);
      return isObject(json) || (Array.isArray(json) && json.every(isObject)) ? events(verdictsFromGeneric(json)) : malformed;
    }
  }
}

/**
 * POST /webhooks/bounces/:provider — bounce and complaint events from mail services, each
 * checked the way its service signs it (SNS certificate, basic auth, HMAC, ECDSA) before anything
 * is read where the service allows. The body is kept as text, byte for byte: the signatures are
 * over the raw body. A provider that is not configured is not there (404); a bad signature is a
 * 401 and changes nothing; each address is limited in how often it may call (web.webhooksPerMinute).
 * A signed event is proof in itself: the service vouches that it concerns the address it names.
 */
export function webhookRoutes(app: FastifyInstance, deps: WebDeps): void {
  const bounces = deps.bounces;
  if (!bounces) return;
  const webhooks = deps.config.bounces.webhooks;
  const now = deps.now ?? (() => new Date());
  const ingest = ingestDeps(deps.config, { subscribers: deps.subscribers, bounces: bounces.store, signer: deps.signer, storeId: bounces.storeId, now });
  void app.register(async (scope) => {
    // Only here: the raw text of JSON (SendGrid, Mailgun, Postmark, the generic hook) and of SNS's text/plain.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: Math.max(...Object.values(bodyLimits)) }, (_request, body, done) => done(null, body));
    const limit = deps.noRateLimit ? {} : { rateLimit: { max: deps.config.web.webhooksPerMinute, timeWindow: 60_000 } };
    scope.post<{ Params: { provider: string } }>(
      '/webhooks/bounces/:provider',
      { bodyLimit: Math.max(...Object.values(bodyLimits)), config: limit },
      async (request, reply: FastifyReply) => {
        const provider = providers.find((name) => name === request.params.provider);
        if (!provider || !webhooks[provider]) return reply.callNotFound();
        const body = typeof request.body === 'string' ? request.body : '';
        if (Buffer.byteLength(body) > bodyLimits[provider]) return reply.code(413).send({ error: 'body too large for this provider' });
        let checked: Checked;
        try {
          checked = await check(provider, webhooks, request, body, bounces.store, now());
        } catch (error) {
          request.log.warn({ provider, err: messageOf(error) }, 'bounce webhook: could not be checked');
          return reply.code(502).send({ error: 'could not be checked; send it again' });
        }
        if (checked.kind === 'refused') return reply.code(401).send({ error: 'signature does not match' });
        if (checked.kind === 'malformed') return reply.code(400).send({ error: `not a ${provider} event body` });
        const counts: Record<string, number> = {};
        let held = 0;
        for (const verdict of checked.verdicts) {
          const result = await ingestVerdict(verdict, `webhook:${provider}`, ingest, { vouched: true });
          const key = result.duplicate ? 'duplicate' : result.kind;
          counts[key] = (counts[key] ?? 0) + 1;
          held += result.held;
        }
        if (checked.verdicts.length > 0) request.log.info({ provider, ...counts }, 'bounce webhook: events read');
        if (held > 0) request.log.warn({ provider, held }, 'bounce webhook: the inbound breaker held events (see paperboy bounces list --held)');
        return reply.send({ ok: true, ...(checked.reply ? { note: checked.reply } : {}), events: counts });
      },
    );
  });
}

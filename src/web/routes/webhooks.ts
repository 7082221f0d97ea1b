import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ingestVerdict,
  verdictFromMailgun,
  verdictFromPostmark,
  verdictFromSes,
  verdictsFromGeneric,
  verdictsFromSendgrid,
  type BounceVerdict,
  type IngestDeps,
} from '../../bounces/index.js';
import type { Config } from '../../config/index.js';
import { messageOf } from '../../errors.js';
import { ReturnPathTokens } from '../../subscribers/index.js';
import type { WebDeps } from '../context.js';
import {
  basicAuthValid,
  genericSignatureValid,
  mailgunSignatureValid,
  sendgridSignatureValid,
  snsSignatureValid,
  snsUrlAllowed,
  type SnsMessage,
} from '../webhook-signatures.js';

type Webhooks = Config['bounces']['webhooks'];
type Provider = keyof Webhooks;
const providers: readonly Provider[] = ['ses', 'postmark', 'mailgun', 'sendgrid', 'generic'];

/** Services batch events (SendGrid posts up to thousands at once): more room than a form. */
const webhookBodyLimit = 1024 * 1024;

/** What a request proved, and the events it carries; `refused` is a 401 and nothing changes. */
type Checked = { refused: true } | { refused: false; verdicts: BounceVerdict[]; reply?: string };

const refused: Checked = { refused: true };

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

async function checkSes(settings: NonNullable<Webhooks['ses']>, message: SnsMessage | undefined, request: FastifyRequest): Promise<Checked> {
  if (!message || typeof message !== 'object' || !(await snsSignatureValid(message, settings.certificateHosts))) return refused;
  if (message.TopicArn !== settings.topicArn) return refused;
  if (message.Type === 'SubscriptionConfirmation') {
    // Amazon asks once whether this endpoint wants the topic: visiting SubscribeURL says yes.
    if (!message.SubscribeURL || !snsUrlAllowed(message.SubscribeURL, settings.certificateHosts)) return refused;
    const response = await fetch(message.SubscribeURL, { signal: AbortSignal.timeout(10_000) });
    // Amazon did not take the confirmation: fail, so SNS sends the request again.
    if (!response.ok) throw new Error(`SubscribeURL answered HTTP ${response.status}`);
    request.log.info({ topic: message.TopicArn, status: response.status }, 'bounce webhook: SNS subscription confirmed');
    return { refused: false, verdicts: [], reply: 'subscription confirmed' };
  }
  if (message.Type !== 'Notification') return { refused: false, verdicts: [] };
  return { refused: false, verdicts: [verdictFromSes(message.MessageId, message.Message)] };
}

/** Checks the request as its provider signs it, and reads its events. `mailgunTokens`: the tokens this server took already. */
async function check(provider: Provider, webhooks: Webhooks, request: FastifyRequest, body: string, mailgunTokens: Map<string, number>): Promise<Checked> {
  const json = parseJson(body) as Record<string, unknown> | undefined;
  switch (provider) {
    case 'ses':
      return checkSes(webhooks.ses!, json as SnsMessage | undefined, request);
    case 'postmark': {
      const { user, password } = webhooks.postmark!;
      if (!basicAuthValid(header(request, 'authorization'), user, password) || !json) return refused;
      return { refused: false, verdicts: [verdictFromPostmark(json)] };
    }
    case 'mailgun': {
      if (!json || !mailgunSignatureValid(webhooks.mailgun!.signingKey, json.signature as Record<string, unknown> | undefined, mailgunTokens)) return refused;
      return { refused: false, verdicts: [verdictFromMailgun(json)] };
    }
    case 'sendgrid': {
      const signature = header(request, 'x-twilio-email-event-webhook-signature');
      const timestamp = header(request, 'x-twilio-email-event-webhook-timestamp');
      if (!sendgridSignatureValid(webhooks.sendgrid!.publicKey, signature, timestamp, body)) return refused;
      return { refused: false, verdicts: verdictsFromSendgrid(json) };
    }
    case 'generic': {
      if (!genericSignatureValid(webhooks.generic!.secret, header(request, 'x-paperboy-signature'), body) || json === undefined) return refused;
      return { refused: false, verdicts: verdictsFromGeneric(json) };
    }
  }
}

/**
 * POST /webhooks/bounces/:provider — bounce and complaint events from mail services, each
 * checked the way its service signs it (SNS certificate, basic auth, HMAC, ECDSA) before anything
 * is read. The body is kept as text, byte for byte: the signatures are over the raw body. A
 * provider that is not configured is not there (404); a bad signature is a 401 and changes nothing.
 */
export function webhookRoutes(app: FastifyInstance, deps: WebDeps): void {
  const bounces = deps.bounces;
  if (!bounces) return;
  const webhooks = deps.config.bounces.webhooks;
  const mailgunTokens = new Map<string, number>();
  const ingestDeps: IngestDeps = {
    config: deps.config,
    subscribers: deps.subscribers,
    bounces: bounces.store,
    storeId: bounces.storeId,
    tokens: new ReturnPathTokens(deps.signer),
    ...(deps.config.delivery.returnPath ? { returnPath: deps.config.delivery.returnPath } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  };
  void app.register(async (scope) => {
    // Only here: the raw text of JSON (SendGrid, Mailgun, Postmark, the generic hook) and of SNS's text/plain.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: webhookBodyLimit }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { provider: string } }>('/webhooks/bounces/:provider', { bodyLimit: webhookBodyLimit }, async (request, reply: FastifyReply) => {
      const provider = providers.find((name) => name === request.params.provider);
      if (!provider || !webhooks[provider]) return reply.callNotFound();
      const body = typeof request.body === 'string' ? request.body : '';
      let checked: Checked;
      try {
        checked = await check(provider, webhooks, request, body, mailgunTokens);
      } catch (error) {
        request.log.warn({ provider, err: messageOf(error) }, 'bounce webhook: could not be checked');
        return reply.code(502).send({ error: 'could not be checked; send it again' });
      }
      if (checked.refused) return reply.code(401).send({ error: 'signature does not match' });
      const counts: Record<string, number> = {};
      for (const verdict of checked.verdicts) {
        const result = await ingestVerdict(verdict, `webhook:${provider}`, ingestDeps);
        const key = result.duplicate ? 'duplicate' : result.kind;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      if (checked.verdicts.length > 0) request.log.info({ provider, ...counts }, 'bounce webhook: events read');
      return reply.send({ ok: true, ...(checked.reply ? { note: checked.reply } : {}), events: counts });
    });
  });
}

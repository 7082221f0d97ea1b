import type { SubscriberInput } from '../../src/subscribers/index.js';

/** An active reader on the default list, added from the CLI, with whatever `fields` change. */
export const subscriberInput = (email: string, fields: Partial<SubscriberInput> = {}): SubscriberInput => ({
  email,
  name: '',
  status: 'active',
  source: 'cli',
  lists: ['default'],
  ...fields,
});

import { type Field, readFields } from './fields.js';

/**
 * RFC 3464 `message/delivery-status`, read by hand: no well-kept JavaScript library parses DSNs
 * (mailparser hands the part over as text), and the format is a few `Name: value` groups.
 */
export interface DsnRecipient {
  finalRecipient?: string;
  originalRecipient?: string;
  action?: string;
  status?: string;
  diagnosticCode?: string;
  remoteMta?: string;
}

export interface DeliveryStatus {
  /** Per-message fields (Reporting-MTA, Arrival-Date, X-Postfix-Sender…), first value of each. */
  message: Map<string, string>;
  recipients: DsnRecipient[];
}

const recipientFields: Record<string, keyof DsnRecipient> = {
  'final-recipient': 'finalRecipient',
  'original-recipient': 'originalRecipient',
  action: 'action',
  status: 'status',
  'diagnostic-code': 'diagnosticCode',
  'remote-mta': 'remoteMta',
};

const namesARecipient = (recipient: DsnRecipient) => recipient.finalRecipient !== undefined || recipient.originalRecipient !== undefined;

/**
 * Groups are separated by blank lines: the first is about the message, each later one about a
 * recipient. Real reports bend this (no blank line between recipients, fields in any order), so
 * a recipient group also ends where a second Final-Recipient (or Original-Recipient) appears,
 * and any group without a recipient address counts as per-message.
 */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const message = new Map<string, string>();
  const recipients: DsnRecipient[] = [];
  let current: DsnRecipient = {};
  let loose: Field[] = [];
  const close = () => {
    if (namesARecipient(current)) recipients.push(current);
    else for (const field of loose) if (!message.has(field.name)) message.set(field.name, field.value);
    current = {};
    loose = [];
  };
  for (const field of readFields(text)) {
    if (field === '') {
      close();
      continue;
    }
    const key = recipientFields[field.name];
    if (!key) {
      loose.push(field);
      continue;
    }
    if ((key === 'finalRecipient' || key === 'originalRecipient') && current[key] !== undefined) close();
    if (current[key] === undefined) current[key] = field.value;
    loose.push(field);
  }
  close();
  return { message, recipients };
}

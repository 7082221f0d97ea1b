/**
 * RFC 3834 and the older conventions of vacation programs. Only asked once a message has been
 * found not to be a bounce: MTAs put `Auto-Submitted: auto-replied` on their DSNs too.
 */
const autoReplyHeaders: Array<[string, RegExp]> = [
  ['auto-submitted', /^auto-replied\b/i], // RFC 3834 §5: a responder's reply ("auto-generated" is a notice, "no" a person)
  ['x-autoreply', /\S/], // older vacation programs, any value
  ['x-autorespond', /\S/],
  ['x-autoresponder', /\S/],
  ['precedence', /^auto[_-]reply$/i],
  ['x-auto-response', /\S/],
  ['x-vacation', /\S/],
];

// Subjects of out-of-office replies in the languages a reader is likely to have.
const autoReplySubject =
  /^(auto(matic|matische)?[ -]?(reply|response|respons|antwort|antwoord)|autoresponder|auto:|out of (the )?office|away from (the )?office|on vacation|vacation|abwesend|abwesenheitsnotiz|r[ée]ponse automatique|absence|risposta automatica|respuesta autom[áa]tica|fuera de la oficina|automatisch antwoord|afwezig)/i;

export function isAutoReply(headers: Map<string, string[]>, subject: string): boolean {
  for (const [name, pattern] of autoReplyHeaders) {
    if (headers.get(name)?.some((value) => pattern.test(value.trim()))) return true;
  }
  return autoReplySubject.test(subject.trim());
}

import { tokenize } from './words.js';

/** Text cut into runs, the words whose stems are in `stems` marked: templates bold them, escaped. */
export function markWords(text: string, stems: ReadonlySet<string>): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const token of tokenize(text)) {
    // A compound's acronym ("RAG" of "GraphRAG") marks the whole word, once.
    if (!token.stem || !stems.has(token.stem) || token.start < at) continue;
    if (token.start > at) parts.push({ text: text.slice(at, token.start), hit: false });
    parts.push({ text: token.text, hit: true });
    at = token.start + token.text.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}

import { compoundAlias } from './words.js';

/**
 * A paper's text as the stores' full-text engines should index it, so that they find what alerts
 * find: hyphens become spaces (PostgreSQL's parser otherwise gives "Mixture-of-Experts" a position
 * of its own before its parts, and phrases across it come out one word longer than in FTS5), and a
 * compound ending in an acronym is followed by the acronym ("GraphRAG" → "GraphRAG RAG"), and a
 * model family's versioned name by the family ("Qwen3" → "Qwen3 Qwen"), which neither engine
 * would split off. Only for indexing: show readers the text as it was.
 */
export function searchableText(text: string): string {
  return text.replace(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu, (compound) => {
    const words = compound.split('-');
    const aliases = words.map((word) => compoundAlias(word));
    const spelled = words.map((word, index) => (aliases[index] ? `${word} ${aliases[index]}` : word)).join(' ');
    // A space after a closing alias: "Qwen3.5" must not become "Qwen3 Qwen.5", one token to PostgreSQL.
    return aliases.at(-1) ? `${spelled} ` : spelled;
  });
}

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
  return text.replace(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu, (compound) =>
    compound
      .split('-')
      .map((word) => {
        const alias = compoundAlias(word);
        return alias ? `${word} ${alias}` : word;
      })
      .join(' '),
  );
}

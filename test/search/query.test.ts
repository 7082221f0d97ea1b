import { describe, expect, it } from 'vitest';
import { PaperIndex, parseQuery, type Query, tokenize } from '../../src/search/index.js';

const phrases = (query: Query) => query.clauses.map((clause) => clause.alternatives.map((phrase) => phrase.words.map((each) => each.word).join(' ')));
const paper = (title: string, summary = '', keywords: string[] = []) => ({ title, summary, keywords });
/** The titles of the papers a query matches, best first. */
const found = (query: string, papers: ReturnType<typeof paper>[]) => new PaperIndex(papers).score(query).map((hit) => hit.paper.title);

describe('words', () => {
  it('split at hyphens and punctuation, fold case and accents, and keep their place', () => {
    expect(tokenize('Sparse Mixture-of-Experts, Pokémon!').map(({ word, stem, position }) => [word, stem, position])).toEqual([
      ['sparse', 'spars', 0],
      ['mixture', 'mixtur', 1],
      ['of', undefined, 2],
      ['experts', 'expert', 3],
      ['pokémon', 'pokemon', 4],
    ]);
  });

  it('read the acronym at the end of a compound as a word of its own, at the same place', () => {
    expect(tokenize('GraphRAG and VideoLLMs; not 3DGS or LLaMA').flatMap((token) => (token.alias ? [[token.word, token.position]] : []))).toEqual([
      ['rag', 0],
      ['llms', 2],
    ]);
  });

  it('read a model family run together with its version as the family', () => {
    expect(tokenize('Qwen3-8B, Qwen2.5-VL, Llama2 and InternLM2; not Gemma or Claude4ever').flatMap((token) => (token.alias ? [token.word] : []))).toEqual([
      'qwen',
      'qwen',
      'llama',
      'internlm',
    ]);
  });

  it('keep general, generic and generation apart, which Porter does not', () => {
    const stems = tokenize('general generic generation generating generalization').map((token) => token.stem);
    expect(stems).toEqual(['general', 'generic', 'generat', 'generat', 'general']);
  });

  it('fold British spellings into the American stem', () => {
    expect(tokenize('quantisation quantized behaviour optimised').map((token) => token.stem)).toEqual(['quantiz', 'quantiz', 'behavior', 'optim']);
  });
});

describe('parseQuery', () => {
  it('makes one phrase of a query’s words, stop words dropped, and adds what the thesaurus knows', () => {
    expect(phrases(parseQuery('the mixture-of-experts'))).toEqual([['mixture experts', 'moe', 'mixture of experts', 'expert routing']]);
    expect(phrases(parseQuery('MoE'))).toEqual([['moe', 'mixture of experts', 'expert routing']]);
    expect(phrases(parseQuery('quantisation'))).toEqual([['quantisation', 'quantization']]);
  });

  it('matches the thesaurus’s terms as written, side by side; the reader’s own words near each other', () => {
    const exactness = (text: string) =>
      Object.fromEntries(parseQuery(text).clauses[0]!.alternatives.map((phrase) => [phrase.words.map((each) => each.word).join(' '), phrase.exact]));
    expect(exactness('code generation')).toMatchObject({ 'code generation': false, 'program synthesis': true, 'code language model': true });
    expect(exactness('video generation')).toMatchObject({ 'video generation': false, 'video synthesis': false });
    expect(exactness('MoE')).toMatchObject({ 'mixture of experts': true, 'expert routing': false });
    const papers = [
      paper('Scratchpads for byte-level models', 'Across experiments on natural language and code, our model improves.'),
      paper('A code language model for Rust'),
    ];
    expect(found('code generation', papers)).toEqual(['A code language model for Rust']);
  });

  it('finds a paper by the LLM it trains, not by an image model of the same family', () => {
    const papers = [
      paper('Self-distilled RLVR', 'We train Qwen3-8B with verifiable rewards. Qwen3 improves.'),
      paper('Qwen-Image 2', 'An image generator; Qwen-Image renders text.'),
    ];
    expect(found('LLM', papers)).toEqual(['Self-distilled RLVR']);
  });

  it('finds the narrower terms from the broader one, not the other way', () => {
    expect(phrases(parseQuery('LLM'))[0]).toEqual(expect.arrayContaining(['llm', 'large language model', 'mllm', 'multimodal large language model', 'vlm']));
    expect(phrases(parseQuery('MLLM'))[0]).not.toContain('llm');
  });

  it('makes a quoted phrase a clause of its own, exact and without synonyms', () => {
    const query = parseQuery('"mixture of experts" routing “long context');
    expect(phrases(query)).toEqual([['mixture of experts'], ['routing'], ['long context']]);
    expect(query.clauses.map((clause) => clause.alternatives[0]!.exact)).toEqual([true, false, true]);
  });

  it('reads any text without throwing, and finds nothing to search for in stop words and marks', () => {
    for (const text of ['', '   ', 'the of and', '"', '""', '*:()^{}[]<>|&!\\\'"', '🙂', 'a'.repeat(5000)]) expect(() => parseQuery(text)).not.toThrow();
    expect(parseQuery('the of and').clauses).toEqual([]);
    expect(parseQuery('*:()"').clauses).toEqual([]);
  });

  it('caps what a long query with many synonyms expands to', () => {
    expect(parseQuery('LLM RL MoE RAG VLM SFT CoT LLM RL MoE').clauses[0]!.alternatives.length).toBeLessThanOrEqual(64);
  });
});

describe('matching', () => {
  it('finds a hyphenated title by its words and its acronym, and GraphRAG by RAG', () => {
    const papers = [
      paper('DECO: Sparse Mixture-of-Experts on Devices'),
      paper('Multi-Agent Debate'),
      paper('GraphRAG for Enterprises'),
      paper('A mixture of recipes'),
    ];
    expect(found('mixture of experts', papers)).toEqual(['DECO: Sparse Mixture-of-Experts on Devices']);
    expect(found('MoE', papers)).toEqual(['DECO: Sparse Mixture-of-Experts on Devices']);
    expect(found('agent', papers)).toEqual(['Multi-Agent Debate']);
    expect(found('RAG', papers)).toEqual(['GraphRAG for Enterprises']);
    expect(found('retrieval-augmented generation', papers)).toEqual(['GraphRAG for Enterprises']);
  });

  it('wants a multi-word search’s words near each other, in either order, within one sentence', () => {
    const papers = [
      paper('Generating realistic videos from text'),
      paper('Video understanding at scale', 'We study video understanding. Generation quality of captions is measured too.'),
      paper('Unified video understanding and generation'),
      paper('A benchmark for next-generation video models'),
    ];
    expect(found('video generation', papers)).toEqual(['Generating realistic videos from text', 'Unified video understanding and generation']);
    expect(found('"video generation"', papers)).toEqual([]);
  });

  it('does not take a vector-quantized tokenizer for quantization, unless asked for it', () => {
    const papers = [paper('Vector-quantized shape tokens'), paper('4-bit quantisation of LLM weights')];
    expect(found('quantization', papers)).toEqual(['4-bit quantisation of LLM weights']);
    expect(found('vector quantization', papers)).toEqual(['Vector-quantized shape tokens']);
  });

  it('matches a paper about the search, not one that names it once in passing', () => {
    const papers = [
      paper('Agents that trade', 'A benchmark.'),
      paper('Image editing', 'Agents are popular; we do not build one.'),
      paper('Tool use', 'An agent calls tools. The agent learns which.'),
      paper('Speed', 'Mixture-of-experts models are slow; we fix it.'),
      paper('Robots', 'A study.', ['embodied agents']),
    ];
    expect(found('agent', papers).sort()).toEqual(['Agents that trade', 'Robots', 'Tool use']);
    expect(found('mixture of experts', papers)).toEqual(['Speed']); // a phrase once is specific enough
  });

  it('ranks title and keyword matches above summary-only ones, whatever their scores', () => {
    const papers = [paper('Robots', 'Reasoning, reasoning and reasoning: reasoning about reasoning.'), paper('Reasoning', 'A short note.')];
    expect(found('reasoning', papers)).toEqual(['Reasoning', 'Robots']);
  });

  it('needs every clause, each in any field', () => {
    const papers = [paper('Mixture of experts', 'We route tokens: routing matters, routing is all.'), paper('Mixture of experts', 'Dense.')];
    expect(found('"mixture of experts" routing', papers)).toHaveLength(1);
  });
});

import { PaperboyError } from '../../errors.js';
import type { PaperSource } from '../paper.js';
import { fileSource } from './file.js';
import { type HuggingFaceOptions, huggingFaceSource } from './hf.js';
import { sampleSource } from './sample.js';

export type { HuggingFaceOptions } from './hf.js';

/** Builds the source a spec names: `hf`, `sample` or `file:PATH`. */
export async function createSource(spec: string, huggingFace: HuggingFaceOptions): Promise<PaperSource> {
  if (spec === 'hf') return huggingFaceSource(huggingFace);
  if (spec === 'sample') return sampleSource();
  if (spec.startsWith('file:') && spec.length > 'file:'.length) return fileSource(spec, spec.slice('file:'.length));
  throw new PaperboyError('CONFIG', `Unknown source "${spec}". Use hf, sample or file:PATH.`);
}

import { bundledSampleFeed } from '../../paths.js';
import { normalizeFeed } from '../normalize.js';
import type { FeedDay, PaperSource } from '../paper.js';
import { readJsonFile } from './file.js';

/**
 * `sample`: real papers shipped inside paperboy (taken from a recorded Daily Papers day),
 * served for whatever day is asked, so the main job and the preview work offline.
 */
export function sampleSource(): PaperSource {
  return {
    name: 'sample',
    async fetchDay(day: string): Promise<FeedDay> {
      return normalizeFeed(await readJsonFile(bundledSampleFeed), day, 'the bundled sample feed');
    },
  };
}

import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { messageOf, PaperboyError } from '../../errors.js';
import { normalizeFeed } from '../normalize.js';
import type { FeedDay, PaperSource } from '../paper.js';

const datedFileName = /^(\d{4}-\d{2}-\d{2})\.json$/;

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PaperboyError('SOURCE', code === 'ENOENT' ? `No such file: ${path}.` : `Cannot read ${path}: ${messageOf(error)}.`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new PaperboyError('FEED', `${path} is not valid JSON (${messageOf(error)}); fix the file or record it again.`);
  }
}

/**
 * `file:PATH`: one JSON file in the shape of the Daily Papers API (a saved response), or a
 * folder of `YYYY-MM-DD.json` files, one a day.
 */
export async function fileSource(spec: string, path: string): Promise<PaperSource> {
  const fullPath = resolve(path);
  const info = await stat(fullPath).catch(() => {
    throw new PaperboyError('SOURCE', `Source ${spec}: no such file or folder ${fullPath}.`);
  });
  if (info.isDirectory()) {
    return {
      name: spec,
      async fetchDay(day: string): Promise<FeedDay> {
        const dayFile = join(fullPath, `${day}.json`);
        const exists = await stat(dayFile).then(
          () => true,
          () => false,
        );
        if (!exists) return { day, papers: [], skipped: [] };
        return normalizeFeed(await readJsonFile(dayFile), day, dayFile);
      },
    };
  }
  const onlyDay = datedFileName.exec(basename(fullPath))?.[1];
  return {
    name: spec,
    ...(onlyDay ? { onlyDay } : {}),
    async fetchDay(day: string): Promise<FeedDay> {
      if (onlyDay && day !== onlyDay) {
        throw new PaperboyError('SOURCE', `${fullPath} holds the papers of ${onlyDay}, not ${day}; pass --date ${onlyDay} or point --source at a folder.`);
      }
      return normalizeFeed(await readJsonFile(fullPath), day, fullPath);
    },
  };
}

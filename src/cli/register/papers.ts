import { type Command, Option } from 'commander';
import { dateFlag, globalsOf, jsonFlag, sourceFlag, wholeNumber } from '../flags.js';

export interface PaperSearchCliOptions {
  from?: string;
  to?: string;
  limit: number;
  json?: boolean;
}

export interface PaperFetchOptions {
  date?: string;
  source?: string;
  json?: boolean;
}

export function registerPapers(program: Command): void {
  const papers = program.command('papers').description('the papers archive: every paper of every day fetched, and search over them');
  const run = () => import('../papers.js');
  papers
    .command('search <query...>')
    .description('the archived papers that match the query, most relevant first (ties: more upvotes), each with its paper page and its edition')
    .option('--from <YYYY-MM-DD>', 'first feed day to search (default: the first archived)')
    .option('--to <YYYY-MM-DD>', 'last feed day to search (default: the last archived)')
    .addOption(new Option('--limit <n>', 'how many papers to list').argParser(wholeNumber()).default(20))
    .addOption(jsonFlag())
    .action(async (words: string[], options: PaperSearchCliOptions) => (await run()).search(words.join(' '), options, globalsOf(program)));
  papers
    .command('fetch')
    .description("fetch a day's papers from the source and keep them all in the archive (a send does this for the days it fetches)")
    .addOption(dateFlag('feed day (default: by the configured rule and time zone, or the only day of a dated file)'))
    .addOption(sourceFlag())
    .addOption(jsonFlag())
    .action(async (options: PaperFetchOptions) => (await run()).fetch(options, globalsOf(program)));
}

import type { Command } from 'commander';
import { PaperboyError } from '../../errors.js';

/** `help [command...]`: the help of any command or subcommand, named by its words. */
export function registerHelp(program: Command): void {
  program
    .command('help [command...]')
    .description('help for a command, e.g. paperboy help subscribers add')
    .action((words: string[]) => {
      let command: Command = program;
      for (const word of words) {
        const next = command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
        if (!next)
          throw new PaperboyError(
            'USAGE',
            `Unknown command "${[...words.slice(0, words.indexOf(word)), word].join(' ')}"; the commands are ${command.commands.map((sub) => sub.name()).join(', ')}.`,
          );
        command = next;
      }
      command.outputHelp();
    });
}

import type { List } from '../subscribers/index.js';
import { count } from '../words.js';
import { withSubscriberStore } from './context.js';
import type { GlobalOptions, JsonOptions } from './flags.js';
import { print, printJson } from './output.js';
import type { ListCreateOptions } from './register/index.js';

/** One list as `lists list` shows it. */
export const listLine = (entry: List): string =>
  `${entry.name}  ${entry.public ? 'public ' : 'private'}  ${entry.activeCount} active / ${count(entry.memberCount, 'member')}${entry.description ? `  — ${entry.description}` : ''}`;

export const create = (name: string, options: ListCreateOptions, global: GlobalOptions) =>
  withSubscriberStore(global, async (store) => {
    await store.createList(name, options.description ?? '', { public: options.public ?? false });
    if (options.json) printJson({ created: name, public: options.public ?? false });
    else
      print(`Created list ${name}${options.public ? ' (public: readers can join it from their preferences page)' : ' (private: only you add people to it)'}.`);
  });

export const list = (options: JsonOptions, global: GlobalOptions) =>
  withSubscriberStore(global, async (store) => {
    const lists = await store.listLists();
    if (options.json) return printJson(lists);
    for (const entry of lists) {
      print(listLine(entry));
    }
  });

export const remove = (name: string, options: JsonOptions, global: GlobalOptions) =>
  withSubscriberStore(global, async (store) => {
    await store.removeList(name);
    if (options.json) printJson({ removed: name });
    else print(`Removed list ${name} (subscribers stay; only their membership of ${name} is gone).`);
  });

import { PaperboyError } from '../../errors.js';
import { defaultListName, type List, listNamePattern } from '../../subscribers/index.js';
import { count } from '../../words.js';

/** The rules and the refusals of creating and removing lists, the same on both backends. */
export function checkNewListName(name: string): void {
  if (!listNamePattern.test(name)) {
    throw new PaperboyError('INPUT', `"${name}" cannot name a list; use lower-case letters, digits, - and _ (up to 64), e.g. research-team.`);
  }
}

export const listExists = (name: string) => new PaperboyError('INPUT', `A list named "${name}" already exists.`);

export function checkRemovableList(name: string): void {
  if (name === defaultListName) throw new PaperboyError('INPUT', 'The default list cannot be removed.');
}

/** A list with editions keeps their delivery records, which keep anyone from getting one twice. */
export function checkNoEditions(name: string, editions: number): void {
  if (editions > 0) {
    throw new PaperboyError('INPUT', `The list "${name}" has ${count(editions, 'edition')} and their delivery records; it is kept so nothing is sent twice.`);
  }
}

export const noListToRemove = (name: string) => new PaperboyError('INPUT', `There is no list named "${name}"; see paperboy lists list.`);

/** Refuses to put anyone or anything on a list that does not exist. */
export const noListToUse = (name: string) => new PaperboyError('INPUT', `There is no list named "${name}"; create it with: paperboy lists create ${name}`);

export const notOnList = (list: string) => new PaperboyError('INPUT', `That subscriber is not on the list "${list}".`);

/** A list with its head counts, as both backends read it (`public` is 0/1 in SQLite). */
export interface ListRow {
  name: string;
  description: string;
  public: number | boolean;
  created_at: string;
  members: number;
  active: number;
}

export const toList = (row: ListRow): List => ({
  name: row.name,
  description: row.description,
  public: Boolean(row.public),
  createdAt: row.created_at,
  memberCount: row.members,
  activeCount: row.active,
});

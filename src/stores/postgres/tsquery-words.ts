/**
 * The words a tsquery needs, without where they stand: its phrase operators (<->, <N>) read as &,
 * each alternative once, and an alternative that holds another dropped ((a & b) | (a & b & c) is
 * a & b). A paper that matches the tsquery matches these words; most that hold the words match it.
 *
 * Why: PostgreSQL's GIN scan evaluates the whole tsquery for every paper that holds one of its
 * words, and the query language's tsqueries are long (a proximity is each distance both ways, a
 * synonym an alternative of its own): for "reinforcement learning", 755 operators, 0.8 s before a
 * single paper was read. The store asks the index for these words and checks the tsquery itself
 * only on the papers it reads. Hand-written: no package parses tsquery text, and this reads only
 * what to_tsquery accepts.
 *
 * Undefined when the words would not narrow anything (a negation at the top) or the text is not
 * tsquery syntax as expected: the caller then asks the index the tsquery itself.
 */
export function tsqueryWords(tsquery: string): string | undefined {
  // A long tsquery takes a millisecond or two; readers page through a search and alerts repeat.
  if (!wordsByTsquery.has(tsquery)) {
    if (wordsByTsquery.size >= 500) wordsByTsquery.clear();
    wordsByTsquery.set(tsquery, wordsOf(tsquery));
  }
  return wordsByTsquery.get(tsquery);
}

const wordsByTsquery = new Map<string, string | undefined>();

function wordsOf(tsquery: string): string | undefined {
  const token = /'(?:[^']|'')*'(?::[*a-dA-D]+)?|<(?:-|\d+)>|[&|!()]|[^\s&|!()<>']+/g;
  if (tsquery.replace(token, '').trim() !== '') return undefined;
  try {
    const parser = new Parser(tsquery.match(token) ?? []);
    const words = simplify(parser.alternatives());
    return parser.done() && words !== null ? text(words) : undefined;
  } catch {
    return undefined;
  }
}

/** A word (its token as written), all of some parts, any of some parts, or null: no condition at all. */
type Words = string | { all: Words[] } | { any: Words[] } | null;

class Parser {
  private next = 0;
  constructor(private readonly tokens: readonly string[]) {}

  done(): boolean {
    return this.next === this.tokens.length;
  }

  // to_tsquery's precedence, loosest first: |, &, then the phrase operators, then !.
  alternatives(): Words {
    const parts: Words[] = [this.conjunction()];
    while (this.take('|')) parts.push(this.conjunction());
    return parts.length === 1 ? parts[0]! : { any: parts };
  }

  private conjunction(): Words {
    const parts: Words[] = [this.phrase()];
    while (this.take('&')) parts.push(this.phrase());
    return parts.length === 1 ? parts[0]! : { all: parts };
  }

  private phrase(): Words {
    const parts: Words[] = [this.operand()];
    while (this.tokens[this.next]?.startsWith('<')) {
      this.next++;
      parts.push(this.operand());
    }
    return parts.length === 1 ? parts[0]! : { all: parts };
  }

  private operand(): Words {
    const token = this.tokens[this.next++];
    if (token === '!') {
      this.operand();
      return null; // what a paper must not hold narrows nothing
    }
    if (token === '(') {
      const inner = this.alternatives();
      if (!this.take(')')) throw new Error('unbalanced');
      return inner;
    }
    if (token === undefined || /^[&|)<]/.test(token)) throw new Error('not an operand');
    return token;
  }

  private take(token: string): boolean {
    if (this.tokens[this.next] !== token) return false;
    this.next++;
    return true;
  }
}

const isAll = (words: Words): words is { all: Words[] } => typeof words === 'object' && words !== null && 'all' in words;
const isAny = (words: Words): words is { any: Words[] } => typeof words === 'object' && words !== null && 'any' in words;
/** The same for equal conditions, whatever their order; each group's worked out once. */
const groupKeys = new WeakMap<object, string>();
function key(words: Words): string {
  if (!isAll(words) && !isAny(words)) return words ?? '';
  let known = groupKeys.get(words);
  if (known === undefined) {
    known = isAll(words) ? `&(${words.all.map(key).sort()})` : `|(${words.any.map(key).sort()})`;
    groupKeys.set(words, known);
  }
  return known;
}
function unique(parts: Words[]): Words[] {
  const keys = parts.map(key);
  return parts.filter((_, index) => keys.indexOf(keys[index]!) === index);
}
/** What an alternative of an `any` asks for together. */
const conditions = (words: Words): Set<string> => new Set(isAll(words) ? words.all.map(key) : [key(words)]);

function simplify(words: Words): Words {
  if (isAll(words)) return allOf(words.all.map(simplify));
  if (isAny(words)) return anyOf(words.any.map(simplify));
  return words;
}

function allOf(parts: Words[]): Words {
  const flat = unique(parts.flatMap((part) => (isAll(part) ? part.all : [part])).filter((part) => part !== null));
  return flat.length === 0 ? null : flat.length === 1 ? flat[0]! : { all: flat };
}

function anyOf(parts: Words[]): Words {
  const flat = unique(parts.flatMap((part) => (isAny(part) ? part.any : [part])));
  if (flat.includes(null)) return null;
  // An alternative that asks for all another one does, and more, adds no paper: (a & b) | (a & b & c) is a & b.
  const sets = flat.map(conditions);
  const absorbed = (index: number) =>
    sets.some((other, at) => at !== index && other.size < sets[index]!.size && [...other].every((each) => sets[index]!.has(each)));
  const kept = flat.filter((_, index) => !absorbed(index));
  return kept.length === 1 ? kept[0]! : { any: kept };
}

function text(words: Words): string {
  if (isAll(words)) return `(${words.all.map(text).join(' & ')})`;
  if (isAny(words)) return `(${words.any.map(text).join(' | ')})`;
  return typeof words === 'string' ? words : '';
}

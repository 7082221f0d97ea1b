import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

/** Functions (declarations, methods, arrows) longer than `limit` lines, as "file:line name (N lines)". */
function longFunctions(path: string, text: string, limit: number): string[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const lines = source.getLineAndCharacterOfPosition(node.end).line - start + 1;
      const name = node.name ? node.name.getText(source) : '(anonymous)';
      if (lines > limit) found.push(`${relative(root, path)}:${start + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the shape of src/', () => {
  const files = sourceFiles(join(root, 'src'));

  it('has no file over 300 lines', () => {
    const long = files.map((path) => ({ path, lines: readFileSync(path, 'utf8').split('\n').length })).filter((file) => file.lines > 300);
    expect(long.map((file) => `${relative(root, file.path)} (${file.lines} lines)`)).toEqual([]);
  });

  it('has no function over 80 lines', () => {
    expect(files.flatMap((path) => longFunctions(path, readFileSync(path, 'utf8'), 80))).toEqual([]);
  });

  it('finds a long function, a method or an arrow when there is one', () => {
    const body = Array.from({ length: 80 }, (_, index) => `  const line${index} = ${index};`).join('\n');
    const path = join(root, 'src', 'example.ts');
    expect(longFunctions(path, `function long() {\n${body}\n}`, 80)).toEqual(['src/example.ts:1 long (82 lines)']);
    expect(longFunctions(path, `class A {\n  method() {\n${body}\n  }\n}`, 80)).toEqual(['src/example.ts:2 method (82 lines)']);
    expect(longFunctions(path, `const arrow = () => {\n${body}\n};`, 80)).toEqual(['src/example.ts:1 (anonymous) (82 lines)']);
    expect(longFunctions(path, `function short() {\n  return 1;\n}`, 80)).toEqual([]);
  });
});

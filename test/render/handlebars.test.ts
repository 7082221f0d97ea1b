import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/render/handlebars.js';

describe('compileTemplate', () => {
  it('keeps data variables working where a template reads them, in blocks and sub-expressions', () => {
    const papers = [{ title: 'A' }, { title: 'B' }];
    expect(compileTemplate('{{#each papers}}{{@index}}:{{title}}{{#if @last}}.{{/if}} {{/each}}', 't')({ papers })).toBe('0:A 1:B. ');
    expect(compileTemplate('{{#each papers}}{{#if (eq @root.pick title)}}{{title}}{{/if}}{{/each}}', 't')({ papers, pick: 'B' })).toBe('B');
  });

  it('renders templates without data variables the same', () => {
    const template = compileTemplate('{{#each papers}}{{title}}{{#unless @first}}{{/unless}}{{/each}}|{{#each papers}}[{{title}}]{{/each}}', 't');
    expect(template({ papers: [{ title: 'A' }, { title: 'B' }] })).toBe('AB|[A][B]');
  });

  it('names the file and line of a syntax error', () => {
    expect(() => compileTemplate('one\n{{#each papers}}\n', 'digest.txt.hbs')).toThrow(/digest\.txt\.hbs line \d+: .*fix the template/);
  });
});

describe('{{#perPaper}}', () => {
  it('renders its block once per paper object and gives later renders the same text', () => {
    const template = compileTemplate('{{#each papers}}{{#perPaper}}{{title}};{{/perPaper}}{{/each}}', 't');
    const papers = [{ title: 'A' }, { title: 'B' }];
    expect(template({ papers })).toBe('A;B;');
    papers[0]!.title = 'changed';
    expect(template({ papers })).toBe('A;B;');
    // Another edition's papers are other objects: rendered afresh.
    expect(template({ papers: papers.map((paper) => ({ ...paper })) })).toBe('changed;B;');
  });

  it('keeps each block and each template apart', () => {
    const papers = [{ title: 'A', rank: 1 }];
    const one = compileTemplate('{{#each papers}}{{#perPaper}}{{title}}{{/perPaper}}|{{#perPaper}}{{rank}}{{/perPaper}}{{/each}}', 'one');
    const two = compileTemplate('{{#each papers}}{{#perPaper}}[{{title}}]{{/perPaper}}{{/each}}', 'two');
    expect(one({ papers })).toBe('A|1');
    expect(two({ papers })).toBe('[A]');
  });

  it('renders every time in a template that reads data variables, rather than reuse a stale text', () => {
    const template = compileTemplate('{{#each papers}}{{@index}}{{#perPaper}}{{title}}{{/perPaper}}{{/each}}', 't');
    const papers = [{ title: 'A' }];
    expect(template({ papers })).toBe('0A');
    papers[0]!.title = 'changed';
    expect(template({ papers })).toBe('0changed');
  });
});

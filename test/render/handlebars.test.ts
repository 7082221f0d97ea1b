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

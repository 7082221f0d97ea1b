import { type Html, html } from '../../html.js';
import { number } from './format.js';

export type Cell = string | number | Html;

export interface Table {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** Said in place of the rows when there are none. */
  empty?: string;
  /** An attribute per row (e.g. data-edition="12"), for tests and for scripts that update it. */
  rowAttributes?: (index: number) => Html;
}

const cell = (value: Cell): Html => (typeof value === 'number' ? html`<td class="num">${number(value)}</td>` : html`<td>${value}</td>`);

/**
 * A table that scrolls sideways inside its own box on a narrow screen (never the page); the box
 * takes the keyboard focus so that scrolling it works without a mouse.
 */
export function dataTable(table: Table): Html {
  if (table.rows.length === 0) return html`<p class="muted">${table.empty ?? 'Nothing yet.'}</p>`;
  return html`<div class="table-wrap" role="region" aria-label="${table.caption}" tabindex="0"><table>
<caption>${table.caption}</caption>
<thead><tr>${table.head.map((name) => html`<th scope="col">${name}</th>`)}</tr></thead>
<tbody>
${table.rows.map((row, index) => html`<tr${table.rowAttributes ? html` ${table.rowAttributes(index)}` : ''}>${row.map(cell)}</tr>\n`)}</tbody>
</table></div>`;
}

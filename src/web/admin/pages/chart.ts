import { Html, html } from '../../html.js';

/**
 * What /admin/assets/charts.js draws (it knows these kinds and nothing else):
 * - `lines`: one line per series over days (readers by status);
 * - `flows`: per day, bars up for `joined` and down for `lost`;
 * - `rates`: one bar per label, a share, with dashed rules at `rules` (complaint rates);
 * - `bars`: horizontal bars per label, stacked by series when there are several.
 * Each series is coloured by the stylesheet's `--series-NAME`, so light and dark come from CSS.
 */
export type ChartSpec =
  | { kind: 'lines'; label: string; series: string[]; points: { day: string; series: string; value: number }[] }
  | { kind: 'flows'; label: string; series: ['joined', 'lost']; days: { day: string; joined: number; lost: number }[] }
  | { kind: 'rates'; label: string; series: [string]; rules: number[]; bars: { label: string; rate: number }[] }
  | { kind: 'bars'; label: string; series: string[]; bars: { label: string; series: string; value: number }[] };

export interface ChartFigure {
  /** Unique on the page: the figure's id and its data island's. */
  id: string;
  title: string;
  spec: ChartSpec;
  /** The same numbers, for readers without JavaScript or without sight of the chart. */
  table: Html;
  /** A line under the title: what the numbers are and where they come from. */
  note?: Html | string;
}

/** JSON for inside a script element: no "<" can end the element or open a comment. */
export const dataIsland = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

const legend = (series: readonly string[]): Html =>
  series.length < 2 ? html`` : html`<ul class="legend">${series.map((name) => html`<li><span class="swatch series-${name}"></span>${name}</li>`)}</ul>`;

/**
 * A chart as the page carries it: title, legend, the box charts.js draws into, its data as a
 * JSON island (data, not script: the CSP allows only our own script files), and its numbers in a
 * table that stays open until the chart is drawn.
 */
export function chartFigure(figure: ChartFigure): Html {
  return html`<figure class="chart" id="${figure.id}" aria-labelledby="${figure.id}-title">
<figcaption id="${figure.id}-title">${figure.title}</figcaption>
${figure.note ? html`<p class="muted">${figure.note}</p>` : ''}${legend(figure.spec.series)}
<div class="plot" data-chart="${figure.id}-data"></div>
<script type="application/json" id="${figure.id}-data">${new Html(dataIsland(figure.spec))}</script>
<details class="numbers" open><summary>The numbers</summary>
${figure.table}
</details>
</figure>`;
}

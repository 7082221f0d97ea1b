// Draws each chart of an admin page from its JSON data island with Observable Plot (window.Plot,
// which needs window.d3). The kinds are those of src/web/admin/pages/chart.ts; colours come from the
// stylesheet's --series-NAME, so a chart redraws when the colour scheme changes, and when its box
// changes width. Without this script the tables under the charts carry the same numbers.
(() => {
  const Plot = window.Plot;
  if (!Plot) return;
  const day = (text) => new Date(`${text}T00:00:00Z`);
  const cssValue = (element, name) => getComputedStyle(element).getPropertyValue(name).trim();
  const colour = (element, name) => cssValue(element, `--series-${name}`) || 'currentColor';
  const colours = (element, series) => ({ domain: series, range: series.map((name) => colour(element, name)) });
  const shorten = (most) => (text) => (text.length > most ? `${text.slice(0, most - 1)}…` : text);
  const count = new Intl.NumberFormat('en-US');
  const rate = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 2 });
  const frame = (width, height) => ({ width, height, marginLeft: 52, marginRight: 16, ariaLabel: null });
  // Counts have whole ticks: at most one per unit (a chart of 0 to 2 readers has no 0.5).
  const wholeTicks = (values) => Math.max(1, Math.min(8, Math.ceil(Math.max(0, ...values))));

  const draw = {
    lines: (spec, box, width) =>
      Plot.plot({
        ...frame(width, Math.round(Math.min(320, Math.max(200, width * 0.42)))),
        x: { type: 'utc', label: null },
        y: { grid: true, label: spec.label, zero: true, ticks: wholeTicks(spec.points.map((d) => d.value)) },
        color: colours(box, spec.series),
        marks: [
          Plot.ruleY([0]),
          Plot.lineY(spec.points, {
            x: (d) => day(d.day),
            y: 'value',
            z: 'series',
            stroke: 'series',
            strokeWidth: 2,
            marker: new Set(spec.points.map((d) => d.day)).size <= 31 ? 'circle' : null,
          }),
        ],
      }),
    flows: (spec, box, width) =>
      Plot.plot({
        ...frame(width, Math.round(Math.min(280, Math.max(180, width * 0.36)))),
        x: { type: 'utc', label: null },
        y: { grid: true, label: `↑ joined · lost ↓`, tickFormat: (n) => count.format(Math.abs(n)), ticks: wholeTicks(spec.days.flatMap((d) => [d.joined + d.lost])) },
        marks: [
          Plot.rectY(spec.days, { x: (d) => day(d.day), interval: 'day', y: 'joined', fill: colour(box, 'joined'), title: (d) => `${d.day}: ${count.format(d.joined)} joined` }),
          Plot.rectY(spec.days, { x: (d) => day(d.day), interval: 'day', y: (d) => -d.lost, fill: colour(box, 'lost'), title: (d) => `${d.day}: ${count.format(d.lost)} lost` }),
          Plot.ruleY([0]),
        ],
      }),
    rates: (spec, box, width) => {
      const top = Math.max(...spec.rules, ...spec.bars.map((d) => d.rate)) * 1.15;
      return Plot.plot({
        ...frame(width, 220),
        x: { type: 'band', label: null, tickFormat: (label) => label.slice(5) },
        y: { grid: true, label: spec.label, domain: [0, top], tickFormat: (n) => rate.format(n) },
        marks: [
          Plot.barY(spec.bars, { x: 'label', y: 'rate', fill: colour(box, spec.series[0]), title: (d) => `${d.label}: ${rate.format(d.rate)}` }),
          Plot.ruleY(spec.rules.slice(0, 1), { stroke: colour(box, 'warning'), strokeDasharray: '5 3' }),
          Plot.ruleY(spec.rules.slice(1), { stroke: colour(box, 'limit'), strokeDasharray: '5 3' }),
          Plot.ruleY([0]),
        ],
      });
    },
    bars: (spec, box, width) => {
      const labels = [...new Set(spec.bars.map((d) => d.label))];
      const marginLeft = Math.min(Math.round(width * 0.38), 260);
      return Plot.plot({
        ...frame(width, 40 + labels.length * 30),
        marginLeft,
        x: { grid: true, label: spec.label, ticks: wholeTicks(labels.map((label) => spec.bars.filter((d) => d.label === label).reduce((sum, d) => sum + d.value, 0))) },
        y: { label: null, domain: labels, tickFormat: shorten(Math.floor(marginLeft / 6.5)) },
        color: colours(box, spec.series),
        marks: [Plot.barX(spec.bars, { x: 'value', y: 'label', fill: 'series', title: (d) => `${d.label}, ${d.series}: ${count.format(d.value)}` }), Plot.ruleX([0])],
      });
    },
  };

  function render(figure) {
    const box = figure.querySelector('.plot');
    const island = document.getElementById(box.dataset.chart);
    const spec = JSON.parse(island.textContent);
    const width = Math.floor(box.clientWidth);
    if (!draw[spec.kind] || width < 1 || (box.dataset.width === String(width) && !figure.dataset.stale)) return;
    const chart = draw[spec.kind](spec, box, width);
    // Plot puts a <style> of its own in the SVG; our CSP forbids inline styles, so admin.css has them instead.
    for (const style of chart.querySelectorAll('style')) style.remove();
    chart.setAttribute('aria-hidden', 'true'); // the table under it says the same to a screen reader
    box.replaceChildren(chart);
    box.dataset.width = String(width);
    delete figure.dataset.stale;
    if (!figure.dataset.drawn) figure.querySelector('details.numbers')?.removeAttribute('open');
    figure.dataset.drawn = 'true';
  }

  const figures = [...document.querySelectorAll('figure.chart')];
  const renderAll = () => {
    for (const figure of figures) {
      try {
        render(figure);
      } catch (error) {
        console.error(`chart ${figure.id}:`, error);
      }
    }
  };
  renderAll();
  new ResizeObserver(renderAll).observe(document.body);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    for (const figure of figures) figure.dataset.stale = 'true';
    renderAll();
  });
})();

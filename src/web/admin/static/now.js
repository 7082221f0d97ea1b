// Keeps /admin/now current: /admin/now/events sends the running sends as the same HTML fragment the
// page was served with (src/web/admin/pages/now.ts), every time it changes. Without this script the
// page shows the numbers as of its loading; a reload shows newer ones.
(() => {
  const box = document.getElementById('running');
  const state = document.getElementById('live-state');
  if (!box || !window.EventSource) return;
  const source = new EventSource(box.dataset.events);
  source.addEventListener('progress', (event) => {
    const update = JSON.parse(event.data);
    box.innerHTML = update.html; // escaped by the server's html template, like the page itself
    state.textContent = `Live: as of ${update.at.slice(11, 19)} UTC, updated every second while a send runs.`;
  });
  source.addEventListener('error', () => {
    state.textContent = 'Live updates are interrupted; they resume by themselves, or reload the page.';
  });
})();

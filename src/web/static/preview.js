// Reloads the preview frames when a template changes (the server sends an event).
const events = new EventSource('/preview/events');
events.addEventListener('reload', () => {
  for (const frame of document.querySelectorAll('iframe')) frame.contentWindow.location.reload();
  const status = document.getElementById('status');
  if (status) status.textContent = `Reloaded at ${new Date().toLocaleTimeString()}`;
});
events.addEventListener('failed', (event) => {
  const status = document.getElementById('status');
  if (status) status.textContent = event.data;
});

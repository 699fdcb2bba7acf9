// Review page of an item being read by a worker: poll its state, reload when it changes.
(() => {
  const note = document.querySelector("[data-state-url]");
  if (!note) return;
  const url = note.dataset.stateUrl;
  async function check() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok && (await response.json()).status !== "fetching") {
        window.location.reload();
        return;
      }
    } catch (error) {
      // The server is busy or away: keep waiting.
    }
    setTimeout(check, 1500);
  }
  setTimeout(check, 1500);
})();

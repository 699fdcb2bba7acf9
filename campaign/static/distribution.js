// Live progress: poll the JSON endpoint until the distribution stops being active.
(() => {
  // Widths come from data-percent: the Content-Security-Policy forbids style attributes.
  for (const segment of document.querySelectorAll("[data-percent]")) {
    segment.style.width = `${segment.dataset.percent}%`;
  }
  const section = document.querySelector("[data-progress-url]");
  if (!section || section.dataset.done === "true") return;
  const url = section.dataset.progressUrl;
  async function refresh() {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return setTimeout(refresh, 5000);
    const data = await response.json();
    document.getElementById("dist-text").textContent = data.text;
    const note = document.getElementById("dist-note");
    note.textContent = data.note;
    note.hidden = !data.note;
    for (const [status, count] of Object.entries(data.counts)) {
      const cell = section.querySelector(`[data-count="${status}"]`);
      if (cell) cell.textContent = count.toLocaleString("en-US");
      const segment = section.querySelector(`[data-segment="${status}"]`);
      if (segment) segment.style.width = data.total ? `${(100 * count) / data.total}%` : "0%";
    }
    if (data.done) {
      window.location.reload();
    } else {
      setTimeout(refresh, 2000);
    }
  }
  setTimeout(refresh, 2000);
})();

// Worker job pages: poll the JSON endpoint, fill the [data-job] fields, and when the job
// ends go to its next page (or reload this one to show the outcome).
(() => {
  const section = document.querySelector("[data-progress-url]");
  if (!section || section.dataset.active !== "true") return;
  const url = section.dataset.progressUrl;
  const numbers = new Set(["rows_done", "rows_total"]);
  async function refresh() {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return setTimeout(refresh, 5000);
    const data = await response.json();
    for (const field of section.querySelectorAll("[data-job]")) {
      const name = field.dataset.job;
      if (name === "queue_note") field.hidden = !data.waiting_for_queue;
      else if (name === "wait_note") {
        field.textContent = data.wait_note;
        field.hidden = !data.wait_note;
      }
      else if (name in data) {
        field.textContent = numbers.has(name) ? data[name].toLocaleString("en-US") : data[name];
      }
    }
    section.querySelector("progress").value = data.percent;
    if (!data.active) {
      window.location.assign(data.next_url || window.location.href);
    } else {
      setTimeout(refresh, 1000);
    }
  }
  setTimeout(refresh, 1000);
})();

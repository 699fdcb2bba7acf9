// Live Markdown preview: the server renders with the same sanitizer as the public page.
(() => {
  const body = document.querySelector("[data-preview-target]");
  const preview = document.getElementById("preview");
  if (!body || !preview) return;
  const token = document.querySelector('meta[name="csrf-token"]').content;
  let timer = null;
  let latest = 0;
  async function refresh() {
    const ticket = ++latest;
    const response = await fetch(preview.dataset.previewUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ body: body.value }),
    });
    const data = await response.json();
    if (ticket !== latest) return;
    if (response.ok) {
      preview.innerHTML = data.html;
    } else {
      preview.textContent = data.message || data.error;
    }
  }
  body.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 250); });
  refresh();
})();

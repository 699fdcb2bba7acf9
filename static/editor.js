// The statement editor: fields of the chosen kind, embargo fields only when embargoed, media
// contacts added and removed, a typeset preview of the whole document, and a warning before
// leaving with unsaved changes.
(() => {
  const form = document.querySelector("form[data-editor]");
  if (!form) return;
  const frame = document.getElementById("preview");
  const status = document.getElementById("preview-status");
  const kindSelect = form.querySelector("[data-kind-select]");
  const releaseType = form.querySelector("[data-release-type]");
  const kind = () => (kindSelect ? kindSelect.value : form.dataset.kind);

  function showKindFields() {
    for (const wrapper of form.querySelectorAll("[data-kinds]")) {
      wrapper.hidden = !wrapper.dataset.kinds.split(" ").includes(kind());
    }
    const embargo = form.querySelector("[data-embargo]");
    if (embargo && releaseType) embargo.hidden = releaseType.value !== "embargoed";
  }

  // Media contacts: rows are numbered media_contacts-N-field; new rows take the next free N.
  const contacts = form.querySelector("[data-contacts]");
  function renumber(row, index) {
    for (const element of row.querySelectorAll("[id], [for], [name]")) {
      for (const attribute of ["id", "for", "name"]) {
        const value = element.getAttribute(attribute);
        if (value) element.setAttribute(attribute, value.replace(/media_contacts-\d+-/, `media_contacts-${index}-`));
      }
    }
    const remove = row.querySelector("[data-remove-contact]");
    if (remove) remove.setAttribute("aria-label", `Remove media contact ${index + 1}`);
  }
  function addContact() {
    const rows = contacts.querySelectorAll("[data-contact-row]");
    if (rows.length >= Number(contacts.dataset.max)) return;
    const row = rows[rows.length - 1].cloneNode(true);
    for (const input of row.querySelectorAll("input")) input.value = "";
    for (const error of row.querySelectorAll(".error")) error.remove();
    const next = Math.max(...[...rows].map((r) => Number(r.querySelector("input").name.split("-")[1]))) + 1;
    renumber(row, next);
    rows[rows.length - 1].after(row);
    row.querySelector("input").focus();
  }
  function removeContact(row) {
    const rows = contacts.querySelectorAll("[data-contact-row]");
    if (rows.length > 1) row.remove();
    else for (const input of row.querySelectorAll("input")) input.value = "";
    markDirty();
    schedulePreview();
    contacts.querySelector("[data-add-contact]").focus();
  }
  if (contacts) {
    contacts.addEventListener("click", (event) => {
      if (event.target.matches("[data-add-contact]")) addContact();
      const remove = event.target.closest("[data-remove-contact]");
      if (remove) removeContact(remove.closest("[data-contact-row]"));
    });
  }

  // The preview is the press template itself, in a sandboxed frame with no scripts. Only the
  // status line speaks to screen readers, and only when something went wrong.
  let timer = null;
  let latest = 0;
  async function refresh() {
    if (!frame) return;
    const ticket = ++latest;
    const data = new FormData(form);
    data.set("preview_kind", form.dataset.kind || "");
    const response = await fetch(frame.dataset.previewUrl, { method: "POST", body: data });
    if (ticket !== latest) return;
    if (response.ok) {
      frame.srcdoc = await response.text();
      status.textContent = "";
    } else {
      const body = await response.json().catch(() => ({}));
      status.textContent = body.message || body.error || "The preview could not be made.";
    }
  }
  // The frame lays the document out at page width (A4 at 96 dpi) and is scaled to fit.
  const PAGE_WIDTH = 794;
  function fitPreview() {
    const box = frame.parentElement;
    const scale = Math.min(1, box.clientWidth / PAGE_WIDTH);
    const doc = frame.contentDocument;
    const height = doc && doc.documentElement ? doc.documentElement.scrollHeight : 1123;
    frame.style.width = `${PAGE_WIDTH}px`;
    frame.style.height = `${height}px`;
    frame.style.transform = `scale(${scale})`;
    box.style.height = `${Math.ceil(height * scale)}px`;
  }
  if (frame) {
    frame.addEventListener("load", fitPreview);
    window.addEventListener("resize", fitPreview);
  }
  function schedulePreview() { clearTimeout(timer); timer = setTimeout(refresh, 300); }

  let dirty = false;
  function markDirty() { dirty = true; }
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
  form.addEventListener("submit", () => { dirty = false; });
  form.addEventListener("input", () => { markDirty(); schedulePreview(); });
  form.addEventListener("change", () => { showKindFields(); schedulePreview(); });
  showKindFields();
  refresh();
})();

// Conflict page: "keep mine" / "take theirs" fill the editable result; typing in it selects "edited".
(() => {
  for (const area of document.querySelectorAll("textarea[data-choice]")) {
    const radios = document.querySelectorAll(`input[name="${area.dataset.choice}"]`);
    for (const radio of radios) {
      radio.addEventListener("change", () => {
        if (radio.checked && radio.dataset.text !== undefined) area.value = radio.dataset.text;
      });
    }
    area.addEventListener("input", () => {
      for (const radio of radios) radio.checked = radio.value === "edit";
    });
  }
})();

// Irreversible actions (restore a version, remove a target, ...): forms with data-confirm ask first.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset && form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

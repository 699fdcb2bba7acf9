// Ask before consequential actions: a form or submit button with data-confirm="question"
// asks the question and submits only on OK. (No inline handlers: the CSP forbids them.)
(() => {
  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    const question =
      (button && button.dataset.confirm) || event.target.dataset.confirm || "";
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();

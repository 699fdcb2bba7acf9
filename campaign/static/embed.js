// Inside the embedded sign-on frame: tell the partner page how tall the content is (so the
// frame grows and shrinks with it), and after a submit ask it to bring the frame's top, where
// the confirmation is, into view.
(() => {
  const reveal = document.body.hasAttribute("data-reveal");
  function contentHeight() {
    const main = document.querySelector("main");
    const margin = parseFloat(getComputedStyle(document.body).marginBottom) || 0;
    return Math.ceil(main.getBoundingClientRect().bottom + window.scrollY + margin);
  }
  function report(first) {
    parent.postMessage({ campaignDeskHeight: contentHeight(), campaignDeskReveal: first && reveal }, "*");
  }
  window.addEventListener("load", () => report(true));
  new ResizeObserver(() => report(false)).observe(document.querySelector("main"));
})();

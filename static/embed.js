// Lets the partner page size the iframe to its content (see the snippet on the staff page).
(() => {
  function reportHeight() {
    parent.postMessage({ campaignDeskHeight: document.documentElement.scrollHeight }, "*");
  }
  window.addEventListener("load", reportHeight);
  new ResizeObserver(reportHeight).observe(document.body);
})();

// Times on public pages: each <time datetime data-zone> is shown in the zone it was set in
// by the server; this adds the reader's own zone when it differs, and runs countdowns.
(function () {
  "use strict";
  var readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "long", day: "numeric",
    hour: "numeric", minute: "2-digit", timeZoneName: "short"
  });

  function addReaderTime(time) {
    if (!time.dataset.zone || time.dataset.zone === readerZone) { return; }
    var span = time.nextElementSibling;
    if (!span || !span.classList.contains("reader-time")) { return; }
    var when = new Date(time.getAttribute("datetime"));
    if (isNaN(when)) { return; }
    span.textContent = " (your time: " + format.format(when) + ")";
    span.hidden = false;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function tick(element, target) {
    var left = Math.floor((target - Date.now()) / 1000);
    if (left <= 0) {
      element.textContent = "Available now.";
      if (!element.dataset.reloaded) { element.dataset.reloaded = "1"; window.location.reload(); }
      return false;
    }
    var days = Math.floor(left / 86400), hours = Math.floor(left % 86400 / 3600);
    var minutes = Math.floor(left % 3600 / 60), seconds = left % 60;
    var parts = [];
    if (days) { parts.push(plural(days, "day")); }
    parts.push(plural(hours, "hour"), plural(minutes, "minute"), plural(seconds, "second"));
    element.textContent = "Available in " + parts.join(", ") + ".";
    return true;
  }

  function startCountdown(element) {
    var target = new Date(element.dataset.countdown).getTime();
    if (isNaN(target)) { return; }
    if (tick(element, target)) {
      var timer = setInterval(function () { if (!tick(element, target)) { clearInterval(timer); } }, 1000);
    }
  }

  document.querySelectorAll("time[data-zone]").forEach(addReaderTime);
  document.querySelectorAll("[data-countdown]").forEach(startCountdown);
})();

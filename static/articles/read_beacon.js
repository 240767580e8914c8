// Counts one read of this article for the front page's "Most read": a bodiless POST to
// our own site once the page is actually shown (a prerendered or background tab that is
// never looked at does not count). No cookie, no identifier, no third party.
(function () {
  "use strict";
  var marker = document.querySelector("[data-read-beacon]");
  if (!marker || !navigator.sendBeacon) {
    return;
  }
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") {
      return;
    }
    sent = true;
    navigator.sendBeacon(marker.getAttribute("data-read-beacon"));
    marker.setAttribute("data-read-sent", "true");
    document.removeEventListener("visibilitychange", send);
  }
  document.addEventListener("visibilitychange", send);
  send();
})();

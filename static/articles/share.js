// Copy-link for the share links. Without JavaScript (or a clipboard) the button stays
// hidden and the address bar does the job; with them, one click copies the story's
// canonical address and the status line says so to every reader, screen readers included.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var buttons = document.querySelectorAll("button[data-copy-link]");
  Array.prototype.forEach.call(buttons, function (button) {
    var status = document.getElementById(button.dataset.status);
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copyLink).then(
        function () {
          // The words come from the page, in its language.
          status.textContent = button.dataset.copied || "Link copied.";
        },
        function () {
          status.textContent =
            button.dataset.failed || "Could not copy the link: copy it from the address bar.";
        }
      );
    });
  });
})();

// Progressive enhancement of the moderation controls. Without JavaScript each control is a
// plain POST form that comes back to the comment; with it, the comment is replaced in place.
(function () {
  "use strict";

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.id = "moderation-status";
  document.body.appendChild(status);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-moderation")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Moderation request failed: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var current = document.getElementById(data.anchor);
        var template = document.createElement("template");
        // The server rendered this fragment with the same escaping as the page itself.
        template.innerHTML = data.html.trim();
        if (current && template.content.firstElementChild) {
          current.replaceWith(template.content.firstElementChild);
        }
        status.textContent = data.message;
      })
      .catch(function () {
        // Let the browser post the form itself: the server answers with a full page.
        if (button) {
          button.disabled = false;
        }
        form.submit();
      });
  });
})();

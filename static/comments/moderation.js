// Progressive enhancement of the moderation controls. Without JavaScript each control is a
// plain POST form that comes back to the comment; with it, the comment is replaced in place.
(function () {
  "use strict";

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.id = "moderation-status";
  document.body.appendChild(status);

  function showRefusal(form, message) {
    var note = form.querySelector(".moderation-refusal");
    if (!note) {
      note = document.createElement("span");
      note.className = "moderation-refusal text-danger small";
      note.setAttribute("role", "alert");
      form.appendChild(note);
    }
    note.textContent = message;
    var reason = form.querySelector("select");
    if (reason) {
      reason.classList.add("is-invalid");
      reason.focus();
    }
  }

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
        if (response.status === 400) {
          // The server refused what was chosen (a hide without a reason): say so beside
          // the control and leave every choice as the moderator made it.
          return response.json().then(function (data) {
            showRefusal(form, data.message);
            if (button) {
              button.disabled = false;
            }
            return null;
          });
        }
        if (!response.ok) {
          throw new Error("Moderation request failed: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data === null) {
          return;
        }
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

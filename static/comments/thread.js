// Progressive enhancement of the comment form. Without JavaScript every "Reply" link
// leads to a reply page that posts the same form, the cached page's time stamp is used and
// nothing is remembered; with it, the form opens in place, is stamped when this browser
// shows it, and the reader's name and email come back on their next comment.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form) {
    return;
  }
  var replyField = form.querySelector('input[name="in_reply_to"]');
  var heading = form.querySelector(".comment-form-heading");
  var textarea = form.querySelector("textarea");
  var submit = form.querySelector('button[type="submit"]');

  // The page may come from a cache shared by every reader, so its stamp tells nothing of
  // this reader: ask for one of our own. If that fails the page's stamp still works.
  var stamp = form.querySelector('input[name="rendered_at"]');
  if (stamp && form.dataset.tokenUrl && window.fetch) {
    fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.rendered_at) {
          stamp.value = data.rendered_at;
        }
      })
      .catch(function () {});
  }

  // Name and email live in this browser only, never in the (cached) page or a cookie.
  var STORE_KEY = "newsroom.commenter";
  var nameField = form.querySelector('input[name="name"]');
  var emailField = form.querySelector('input[name="email"]');
  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // Storage blocked by the browser's privacy settings.
    }
  }
  var store = storage();
  if (store && nameField && emailField) {
    var remembered = null;
    try {
      remembered = JSON.parse(store.getItem(STORE_KEY) || "null");
    } catch (error) {
      remembered = null;
    }
    // Only empty fields: what the server put there (a staff byline, a refused post) wins.
    if (remembered && !nameField.value && typeof remembered.name === "string") {
      nameField.value = remembered.name;
    }
    if (remembered && !emailField.value && typeof remembered.email === "string") {
      emailField.value = remembered.email;
    }

    var choice = document.createElement("div");
    choice.className = "form-check mb-3 comment-remember";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input";
    box.id = "comment-remember";
    box.checked = remembered !== null || store.getItem(STORE_KEY + ".off") === null;
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = box.id;
    // Labels come from the page, in its language.
    label.textContent = form.dataset.rememberLabel || "Remember me on this device";
    choice.append(box, label);
    submit.before(choice);

    box.addEventListener("change", function () {
      if (!box.checked) {
        // A shared computer: forget at once, and do not ask again on the next page.
        store.removeItem(STORE_KEY);
        store.setItem(STORE_KEY + ".off", "1");
      } else {
        store.removeItem(STORE_KEY + ".off");
      }
    });
    form.addEventListener("submit", function () {
      if (box.checked) {
        store.setItem(
          STORE_KEY,
          JSON.stringify({ name: nameField.value, email: emailField.value })
        );
      }
    });
  }

  var home = form.parentNode;
  var homeNext = form.nextSibling;
  var originalHeading = heading ? heading.textContent : "";

  var cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "btn btn-link";
  cancel.textContent = form.dataset.cancelLabel || "Cancel reply";
  cancel.hidden = true;
  submit.after(cancel);

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.comment-reply");
    if (!link || !replyField) {
      return;
    }
    event.preventDefault();
    replyField.value = link.dataset.commentId;
    if (heading) {
      // textContent, never innerHTML: the name is reader text.
      heading.textContent = (form.dataset.replyHeading || "Reply to {name}").replace(
        "{name}",
        link.dataset.commentName
      );
    }
    link.closest("article.comment").after(form);
    cancel.hidden = false;
    textarea.focus();
  });

  cancel.addEventListener("click", function () {
    replyField.value = "";
    if (heading) {
      heading.textContent = originalHeading;
    }
    home.insertBefore(form, homeNext);
    cancel.hidden = true;
  });
})();

// Progressive enhancement of the comment thread. Without JavaScript every "Reply" link
// leads to a reply page that posts the same form; with it, the form opens in place.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form) {
    return;
  }
  var replyField = form.querySelector('input[name="in_reply_to"]');
  var heading = form.querySelector(".comment-form-heading");
  var textarea = form.querySelector("textarea");
  var home = form.parentNode;
  var homeNext = form.nextSibling;
  var originalHeading = heading ? heading.textContent : "";

  var cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "btn btn-link";
  cancel.textContent = "Cancel reply";
  cancel.hidden = true;
  form.querySelector('button[type="submit"]').after(cancel);

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.comment-reply");
    if (!link || !replyField) {
      return;
    }
    event.preventDefault();
    replyField.value = link.dataset.commentId;
    if (heading) {
      // textContent, never innerHTML: the name is reader text.
      heading.textContent = "Reply to " + link.dataset.commentName;
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

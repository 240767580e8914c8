// Ask before leaving the article form with edits that were not saved. Progressive
// enhancement: without this script the form saves exactly the same.
function watchUnsavedChanges() {
  "use strict";
  var form = document.getElementById("article_form");
  if (!form) {
    return;
  }
  var dirty = false;
  function markDirty() {
    dirty = true;
  }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  // The body editor keeps its text in a hidden field that it updates itself.
  var observer = new MutationObserver(markDirty);
  form.querySelectorAll(".ProseMirror").forEach(function (editor) {
    observer.observe(editor, { characterData: true, childList: true, subtree: true });
  });
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // A form shown again after a refused save holds edits that are not saved yet.
  if (form.querySelector(".errornote, .errorlist")) {
    dirty = true;
  }
}

// The admin loads form scripts in the page head, before the form exists.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", watchUnsavedChanges);
} else {
  watchUnsavedChanges();
}

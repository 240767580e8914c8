// The headline, standfirst and body run in the direction of the story's language: an
// editor writing Urdu types right to left as soon as Urdu is chosen, without saving first.
(function () {
  "use strict";
  var select = document.getElementById("id_language");
  if (!select) {
    return;
  }
  var rtl = (select.dataset.rtlLanguages || "").split(" ").filter(Boolean);

  function bodyEditor() {
    var textarea = document.getElementById("id_body");
    if (!textarea) {
      return null;
    }
    var wrapper = textarea.closest(".prose-editor");
    return (wrapper && wrapper.querySelector(".ProseMirror")) || textarea;
  }

  function follow() {
    var direction = rtl.indexOf(select.value) >= 0 ? "rtl" : "ltr";
    ["id_headline", "id_standfirst", "id_body"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) {
        field.dir = direction;
      }
    });
    var editor = bodyEditor();
    if (editor) {
      editor.dir = direction;
    }
  }

  select.addEventListener("change", follow);
  // The body's editor is built after this script runs: set its direction once it is there.
  document.addEventListener("prose-editor:ready", follow);
  follow();
})();

// The article editor's "Browse..." window: clicking a photo hands its body address, alt
// text and caption back to the figure dialog that opened this window, then closes it.
"use strict";

document.addEventListener("click", (event) => {
  const choice = event.target.closest("[data-pick-url]");
  const picker = document.getElementById("image-picker");
  if (!choice || !picker || !window.opener || !window.opener.CKEDITOR) {
    return;
  }
  window.opener.CKEDITOR.tools.callFunction(Number(picker.dataset.funcNum), choice.dataset.pickUrl, {
    id: choice.dataset.pickId,
    alternative_text: choice.dataset.pickAlt,
    caption: choice.dataset.pickCaption,
  });
  window.close();
});

// The article editor's "Browse..." window: clicking a photo hands its body address, alt
// text and caption back to the figure dialog that opened this window, then closes it.
//
// The tiles arrive disabled and are enabled here, so a click can never land before this
// script can act on it (on a slow connection a deferred script comes late); the picker's
// data-ready attribute and status line tell people and tests when it is ready.
"use strict";

const chosenUrlInOpener = () => {
  try {
    const input = window.opener?.document.querySelector("dialog[open] input[name=imageUrl]");
    return input ? input.value.trim() : "";
  } catch {
    return ""; // an opener from another site: nothing to read
  }
};

const setUp = () => {
  const picker = document.getElementById("image-picker");
  if (!picker) {
    return;
  }
  const status = document.getElementById("picker-status");
  const choices = [...picker.querySelectorAll(".picker-choice")];
  const current = chosenUrlInOpener();

  const markChosen = (choice) => {
    for (const other of choices) {
      other.setAttribute("aria-pressed", String(other === choice));
    }
  };

  picker.addEventListener("click", (event) => {
    const choice = event.target.closest(".picker-choice");
    if (!choice || choice.disabled) {
      return;
    }
    markChosen(choice);
    const editor = window.opener && !window.opener.closed ? window.opener.CKEDITOR : null;
    if (!editor) {
      status.textContent =
        "The article editor that opened this window is gone. Close this window and press Browse... in the figure dialog again.";
      return;
    }
    editor.tools.callFunction(Number(picker.dataset.funcNum), choice.dataset.pickUrl, {
      id: choice.dataset.pickId,
      alternative_text: choice.dataset.pickAlt,
      caption: choice.dataset.pickCaption,
    });
    window.close();
  });

  for (const choice of choices) {
    if (current && choice.dataset.pickUrl === current) {
      markChosen(choice);
    }
    choice.disabled = false;
  }
  status.textContent = choices.length
    ? "Click a photo to put it in the figure, with its alt text and caption."
    : "";
  picker.dataset.ready = "true";
};

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setUp);
} else {
  setUp();
}

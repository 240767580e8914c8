// Image admin: click the photo's most important point (a face, say) to set the focal
// point that every crop keeps. The two percentage fields stay the source of truth.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector("[data-focal-picker]");
  const fieldX = document.getElementById("id_focal_x");
  const fieldY = document.getElementById("id_focal_y");
  if (!picker || !fieldX || !fieldY) {
    return;
  }
  const photo = picker.querySelector("img");
  const marker = picker.querySelector(".focal-marker");

  const show = () => {
    marker.style.left = `${Number(fieldX.value) || 0}%`;
    marker.style.top = `${Number(fieldY.value) || 0}%`;
  };

  photo.addEventListener("click", (event) => {
    const box = photo.getBoundingClientRect();
    const percent = (offset, size) => Math.min(100, Math.max(0, Math.round((offset / size) * 100)));
    fieldX.value = percent(event.clientX - box.left, box.width);
    fieldY.value = percent(event.clientY - box.top, box.height);
    show();
  });
  fieldX.addEventListener("input", show);
  fieldY.addEventListener("input", show);
  show();
});

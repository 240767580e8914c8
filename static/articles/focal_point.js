// Image admin: click the photo's most important point (a face, say) to set the focal
// point that every crop keeps, and see the front page card and square portrait follow.
// The two percentage fields stay the source of truth. On a new image the photo shown is
// the file just chosen, read here in the browser, so one save is enough.
"use strict";

// The same arithmetic as articles/renditions.py crop_box: the largest box of the ratio,
// centred on the focal point as far as the edges allow. Returned in fractions of the photo.
const cropBox = (width, height, ratio, focalX, focalY) => {
  let boxW = width;
  let boxH = height;
  if (width / height > ratio) {
    boxW = Math.round(height * ratio);
  } else {
    boxH = Math.round(width / ratio);
  }
  const left = Math.min(Math.max(0, Math.round((width * focalX) / 100 - boxW / 2)), width - boxW);
  const top = Math.min(Math.max(0, Math.round((height * focalY) / 100 - boxH / 2)), height - boxH);
  return { left, top, boxW, boxH };
};

document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector("[data-focal-picker]");
  const fieldX = document.getElementById("id_focal_x");
  const fieldY = document.getElementById("id_focal_y");
  const decorative = document.getElementById("id_is_decorative");
  const altText = document.getElementById("id_alt_text");
  if (decorative && altText) {
    const mark = () => altText.setAttribute("aria-required", String(!decorative.checked));
    decorative.addEventListener("change", mark);
    mark();
  }
  if (!picker || !fieldX || !fieldY) {
    return;
  }
  const photo = picker.querySelector("img");
  const marker = picker.querySelector(".focal-marker");
  const waiting = document.querySelector(".focal-waiting");
  const previews = document.querySelector("[data-crop-previews]");

  const drawCrops = () => {
    if (!previews || !photo.naturalWidth) {
      return;
    }
    previews.hidden = false;
    for (const preview of previews.querySelectorAll("[data-crop-ratio]")) {
      const [ratioW, ratioH] = preview.dataset.cropRatio.split("/").map(Number);
      const image = preview.querySelector("img");
      const box = cropBox(
        photo.naturalWidth,
        photo.naturalHeight,
        ratioW / ratioH,
        Number(fieldX.value) || 0,
        Number(fieldY.value) || 0,
      );
      image.src = photo.src;
      image.style.width = `${(photo.naturalWidth / box.boxW) * 100}%`;
      image.style.left = `${(-box.left / box.boxW) * 100}%`;
      image.style.top = `${(-box.top / box.boxH) * 100}%`;
    }
  };

  const show = () => {
    marker.style.left = `${Number(fieldX.value) || 0}%`;
    marker.style.top = `${Number(fieldY.value) || 0}%`;
    drawCrops();
  };

  const showPhoto = (source) => {
    photo.src = source;
    picker.hidden = false;
    if (waiting) {
      waiting.hidden = true;
    }
  };

  photo.addEventListener("load", show);
  photo.addEventListener("click", (event) => {
    const box = photo.getBoundingClientRect();
    const percent = (offset, size) => Math.min(100, Math.max(0, Math.round((offset / size) * 100)));
    fieldX.value = percent(event.clientX - box.left, box.width);
    fieldY.value = percent(event.clientY - box.top, box.height);
    show();
  });
  fieldX.addEventListener("input", show);
  fieldY.addEventListener("input", show);

  // A photo kept from a save that had errors: its preview comes with the form.
  const kept = document.querySelector("[data-kept-preview]");
  if (kept && !photo.getAttribute("src")) {
    showPhoto(kept.src);
  }
  const fileInput = document.getElementById("id_file");
  if (fileInput) {
    fileInput.addEventListener("change", () => {
      const file = fileInput.files[0];
      if (!file) {
        return;
      }
      // A data: address, which the admin's Content-Security-Policy allows for images.
      const reader = new FileReader();
      reader.addEventListener("load", () => {
        fieldX.value = 50; // a new photo: its focal point starts in the middle
        fieldY.value = 50;
        showPhoto(reader.result);
      });
      reader.readAsDataURL(file);
    });
  }
  if (photo.complete && photo.naturalWidth) {
    show();
  }
});

"""Uploads into the image library: checked with Pillow, cleaned, and only then stored.

Every upload path (the image admin, its "+" pop-up from the article form, code such as the
demo seed) goes through `normalise_upload`, so the bytes that reach storage are always a
fresh re-encoding made by Pillow: upright, without EXIF/GPS/XMP metadata and without
anything a crafted file carried after or around its pixels.
"""

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageCms, ImageFile, ImageOps, UnidentifiedImageError

# A truncated file must fail loudly instead of being padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# What Newsroom accepts, and what each is stored as.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPTED_CONTENT_TYPES = "image/jpeg,image/png,image/webp"

# Signatures of files that are not photos. Naming them gives editors a useful error, and
# finding them anywhere in an upload catches polyglots: a PDF, web page or script wrapped
# in (or wrapping) a valid picture. Each is long or specific enough that real compressed
# pixel data practically never contains it.
DISGUISED_CONTENT = [
    (re.compile(rb"%PDF-"), "a PDF document"),
    (re.compile(rb"<script", re.IGNORECASE), "a script"),
    (re.compile(rb"<!doctype html|<html[\s>]", re.IGNORECASE), "a web page (HTML)"),
    (re.compile(rb"<svg[\s>]", re.IGNORECASE), "an SVG drawing"),
    (re.compile(rb"<\?php", re.IGNORECASE), "PHP code"),
]

JPEG_QUALITY = 92

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class NormalisedImageFile(ContentFile):
    """Bytes re-encoded by `normalise_upload`; storing them needs no second check."""

    is_normalised = True

    def __init__(self, content: bytes, *, name: str, width: int, height: int):
        super().__init__(content, name=name)
        self.width, self.height = width, height


@dataclass(frozen=True)
class Limits:
    max_pixels: int
    max_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(max_pixels=settings.IMAGE_MAX_PIXELS, max_bytes=settings.IMAGE_MAX_BYTES)


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}" if pixels >= 10_000_000 else f"{pixels / 1_000_000:.1f}"


def _read_all(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            f"The file is {filesizeformat(size)}; the limit is {filesizeformat(max_bytes)}. "
            "Export a smaller version of the photo and upload that.",
            code="too_large",
        )
    upload.seek(0)
    # Read one byte more than allowed: a file that lies about its size is still caught.
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            f"The file is larger than the limit of {filesizeformat(max_bytes)}.",
            code="too_large",
        )
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    return data


def _refuse_disguised(data: bytes) -> None:
    for pattern, what in DISGUISED_CONTENT:
        if pattern.search(data):
            raise ValidationError(
                f"This file contains {what}, not only a picture, so it was refused. "
                "Upload a plain JPEG, PNG or WebP photo.",
                code="disguised",
            )


def _open_checked(data: bytes, limits: Limits) -> PillowImage.Image:
    """Open data with Pillow, refusing non-images and oversize pictures before decoding."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that; ours is stricter.
            warnings.simplefilter("ignore", PillowImage.DecompressionBombWarning)
            picture = PillowImage.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except PillowImage.DecompressionBombError as error:
        raise ValidationError(
            "The picture claims to be enormous (a decompression bomb?) and was refused. "
            f"The limit is {_megapixels(limits.max_pixels)} megapixels.",
            code="too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            "This file is not a picture Newsroom can use. Upload a JPEG, PNG or WebP photo "
            "(SVG, PDF, HEIC and documents are not accepted).",
            code="not_an_image",
        ) from error
    pixels = picture.width * picture.height
    if pixels > limits.max_pixels:
        raise ValidationError(
            f"The picture is {picture.width} × {picture.height} pixels "
            f"({_megapixels(pixels)} megapixels); the limit is "
            f"{_megapixels(limits.max_pixels)} megapixels. Export a smaller version.",
            code="too_many_pixels",
        )
    return picture


def _decode(data: bytes, limits: Limits) -> PillowImage.Image:
    picture = _open_checked(data, limits)
    try:
        # verify() checks structure and checksums; it leaves the image unusable, so the
        # pixels are then decoded from a second, fresh open.
        picture.verify()
        picture = _open_checked(data, limits)
        picture.load()
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(
            f"The {picture.format} file is damaged or incomplete (was the upload cut "
            "short?). Export it again and upload the new file.",
            code="corrupt",
        ) from error
    return picture


def to_srgb(picture: PillowImage.Image) -> PillowImage.Image:
    """Return the picture's pixels in sRGB, with no embedded colour profile left.

    An uploaded profile is arbitrary bytes (one probe carried a web page in it), so it is
    never stored or served: the colours are converted once and the web's default kept.
    """
    profile = picture.info.get("icc_profile")
    if not profile:
        return picture
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if picture.mode not in ("RGB", "RGBA", "CMYK", "L"):
            picture = picture.convert("RGBA" if has_alpha else "RGB")
        output_mode = "RGBA" if picture.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(picture, source, SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken or mismatched profile: keep the pixels as they are, drop the profile.
        converted = picture.copy()
    converted.info.pop("icc_profile", None)
    return converted


def safe_stem(name: str) -> str:
    """The file name's stem, safe to store: the last path component only, then only letters,
    digits and dashes ("../../settings.py" cannot climb out)."""
    stem = PurePath(name.replace("\\", "/")).stem
    return slugify(stem)[:80].strip("-") or "image"


def normalise_upload(upload, *, limits: Limits | None = None) -> NormalisedImageFile:
    """Check an uploaded file and return it re-encoded: upright and without metadata.

    Raises ValidationError naming the problem; nothing is stored by this function.
    """
    limits = limits or Limits.from_settings()
    data = _read_all(upload, limits.max_bytes)
    _refuse_disguised(data)
    picture = _decode(data, limits)
    source_format = picture.format

    try:
        upright = ImageOps.exif_transpose(picture)
    except Exception:  # noqa: BLE001
        # Broken metadata must not cost the photo: it is dropped below anyway.
        upright = picture
    upright = to_srgb(upright)
    output = io.BytesIO()
    # Saving without exif=, xmp= or pnginfo= writes none of the original's metadata:
    # camera GPS, serial numbers and editing history stay out of every public URL.
    if source_format == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif source_format == "WEBP":
        upright.save(output, "WEBP", quality=JPEG_QUALITY)
    else:
        if upright.mode not in ("RGB", "RGBA", "L", "LA", "P", "I;16"):
            upright = upright.convert("RGBA")
        upright.save(output, "PNG", optimize=True)

    # The stored extension follows what the bytes really are, not what the name claimed.
    name = f"{safe_stem(getattr(upload, 'name', '') or '')}.{ACCEPTED_FORMATS[source_format]}"
    return NormalisedImageFile(
        output.getvalue(), name=name, width=upright.width, height=upright.height
    )

"""Renditions: the resized, cropped, re-encoded copies of library images that pages serve.

The set each image gets is fixed here, so page markup can be computed from an image's
width, height and focal point alone, and a rendition can be asked for by name. Making
and storing them (each once, recorded as a `Rendition` row) is `rendition_store`'s job.
"""

import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.crypto import salted_hmac
from PIL import Image as PillowImage
from PIL import ImageOps

from articles.imaging import to_srgb


@dataclass(frozen=True)
class Crop:
    name: str
    ratio: tuple[int, int] | None  # None keeps the photo's own shape
    widths: tuple[int, ...]
    formats: tuple[str, ...] = ("avif", "jpeg")


# "full" for the article page and body figures; "card" for fixed-ratio front page cards;
# "square" for author portraits. 320 to 1600 pixels covers phones to 2x laptop screens.
# "share" is the 1200 x 630 picture Facebook, X and WhatsApp show with a shared link:
# JPEG only, since not all of them read AVIF.
CROPS = {
    crop.name: crop
    for crop in (
        Crop("full", None, (320, 480, 640, 960, 1280, 1600)),
        Crop("card", (16, 9), (320, 480, 640, 960)),
        Crop("square", (1, 1), (160, 320)),
        Crop("share", (40, 21), (1200,), formats=("jpeg",)),
    )
}

# AVIF for browsers that take it (a third smaller than JPEG at the same look), JPEG for
# the rest. Speed 8 keeps a full set of a 24-megapixel photo within seconds.
FORMATS = {
    "avif": {"pillow": "AVIF", "extension": "avif", "mime": "image/avif"},
    "jpeg": {"pillow": "JPEG", "extension": "jpg", "mime": "image/jpeg"},
}
ENCODER_OPTIONS = {
    "avif": {"quality": 60, "speed": 8},
    "jpeg": {"quality": 80, "optimize": True, "progressive": True},
}
FALLBACK_FORMAT = "jpeg"

# pg_advisory_xact_lock(key1, key2): key1 says "rendition of an image", key2 the image.
RENDITION_LOCK_CLASS = 7_315_001


@dataclass(frozen=True)
class Spec:
    crop: str
    width: int
    height: int
    format: str

    @property
    def name(self) -> str:
        return f"{self.crop}-{self.width}.{self.format}"


def crop_box(
    width: int, height: int, ratio: tuple[int, int] | None, focal_x: int, focal_y: int
) -> tuple[int, int, int, int]:
    """The largest box of ratio inside width × height, centred on the focal point if it can."""
    if ratio is None:
        return (0, 0, width, height)
    wanted = ratio[0] / ratio[1]
    if width / height > wanted:
        box_w, box_h = round(height * wanted), height
    else:
        box_w, box_h = width, round(width / wanted)
    box_w, box_h = max(1, min(box_w, width)), max(1, min(box_h, height))
    centre_x, centre_y = width * focal_x / 100, height * focal_y / 100
    left = min(max(0, round(centre_x - box_w / 2)), width - box_w)
    top = min(max(0, round(centre_y - box_h / 2)), height - box_h)
    return (left, top, left + box_w, top + box_h)


def planned_sizes(width: int, height: int, crop: Crop) -> list[tuple[int, int]]:
    """Rendition sizes for a crop of a width × height photo: never upscaled."""
    if not width or not height:
        return []
    left, top, right, bottom = crop_box(width, height, crop.ratio, 50, 50)
    box_w, box_h = right - left, bottom - top
    widths = [w for w in crop.widths if w <= box_w] or [box_w]
    return [(w, max(1, round(w * box_h / box_w))) for w in widths]


def planned_specs(width: int, height: int, crops: Iterable[str] | None = None) -> list[Spec]:
    specs = []
    for name in crops or CROPS:
        for w, h in planned_sizes(width, height, CROPS[name]):
            specs.extend(Spec(name, w, h, fmt) for fmt in CROPS[name].formats)
    return specs


def source_key(file_name: str, focal_x: int, focal_y: int) -> str:
    """Change whenever the renditions would: a new file or a new focal point.

    Keyed with the site's secret, so rendition addresses cannot be guessed either.
    """
    value = f"{file_name}:{focal_x}:{focal_y}"
    return salted_hmac("articles.rendition", value, algorithm="sha256").hexdigest()[:12]


def _flatten(picture: PillowImage.Image, fmt: str) -> PillowImage.Image:
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    if fmt == "jpeg" or not has_alpha:
        if has_alpha:
            rgba = picture.convert("RGBA")
            white = PillowImage.new("RGB", rgba.size, (255, 255, 255))
            white.paste(rgba, mask=rgba.getchannel("A"))
            return white
        return picture if picture.mode == "RGB" else picture.convert("RGB")
    return picture if picture.mode == "RGBA" else picture.convert("RGBA")


def encode(picture: PillowImage.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    _flatten(picture, fmt).save(buffer, FORMATS[fmt]["pillow"], **ENCODER_OPTIONS[fmt])
    return buffer.getvalue()


def render_specs(
    data_file, specs: list[Spec], *, focal_x: int, focal_y: int
) -> list[tuple[Spec, bytes]]:
    """Decode the original once and produce the bytes of every spec asked for."""
    picture = PillowImage.open(data_file)
    full_w, full_h = picture.size
    # JPEG can decode at 1/2, 1/4 or 1/8 scale for free: ask for the smallest size that
    # still covers the largest rendition, which makes a 24-megapixel photo cheap to read.
    scale = 0.0
    for spec in specs:
        left, top, right, _ = crop_box(full_w, full_h, CROPS[spec.crop].ratio, focal_x, focal_y)
        scale = max(scale, spec.width / (right - left))
    picture.draft("RGB", (math.ceil(full_w * scale), math.ceil(full_h * scale)))
    picture = ImageOps.exif_transpose(picture)
    picture.load()
    # Originals stored before uploads were converted may still carry their own profile.
    picture = to_srgb(picture)
    if picture.mode not in ("RGB", "RGBA"):
        has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")

    results = []
    for crop_name in dict.fromkeys(spec.crop for spec in specs):
        box = crop_box(picture.width, picture.height, CROPS[crop_name].ratio, focal_x, focal_y)
        region = picture.crop(box)
        for_crop = sorted(
            (spec for spec in specs if spec.crop == crop_name), key=lambda s: -s.width
        )
        # Each size is made from the next larger one: far cheaper than from the original,
        # and Lanczos keeps the result as sharp.
        current = region
        for size in dict.fromkeys((spec.width, spec.height) for spec in for_crop):
            current = current.resize(size, PillowImage.Resampling.LANCZOS, reducing_gap=3.0)
            for spec in for_crop:
                if (spec.width, spec.height) == size:
                    results.append((spec, encode(current, spec.format)))
    return results


def rendition_name(image, spec: Spec, key: str) -> str:
    """A public name that says nothing of the original's, nor of which image it shows.

    Keyed with the site's secret: knowing one rendition's name (or the image's id, or
    the original's name) gives no way to work out another's.
    """
    value = f"{image.pk}:{spec.name}:{key}"
    token = salted_hmac("articles.rendition-name", value, algorithm="sha256").hexdigest()[:32]
    return f"renditions/{token[:2]}/{token}.{FORMATS[spec.format]['extension']}"


@dataclass(frozen=True)
class Source:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs: per format, one source per width."""

    crop: str
    width: int
    height: int
    modern: list[Source]
    modern_type: str
    fallback: list[Source]

    @property
    def modern_srcset(self) -> str:
        return ", ".join(f"{source.url} {source.width}w" for source in self.modern)

    @property
    def fallback_srcset(self) -> str:
        return ", ".join(f"{source.url} {source.width}w" for source in self.fallback)

    @property
    def fallback_src(self) -> str:
        # A browser that ignores srcset gets a mid-sized JPEG, never the original.
        return self.fallback[min(len(self.fallback) - 1, 2)].url

    @classmethod
    def build(cls, image, crop: str, stored_urls: Mapping[str, str]) -> "Picture | None":
        """The picture from the addresses of renditions in storage, by spec name; one not
        made yet is offered through the view that makes it on first request."""
        from django.urls import reverse

        by_format: dict[str, list[Source]] = {fmt: [] for fmt in FORMATS}
        for spec in planned_specs(image.width, image.height, [crop]):
            url = stored_urls.get(spec.name)
            if url is None:
                url = reverse(
                    "articles:image-rendition", kwargs={"pk": image.pk, "spec": spec.name}
                )
            by_format[spec.format].append(Source(url, spec.width, spec.height))
        fallback = by_format[FALLBACK_FORMAT]
        if not fallback:
            return None
        largest = fallback[-1]
        return cls(
            crop=crop,
            width=largest.width,
            height=largest.height,
            modern=by_format["avif"],
            modern_type=FORMATS["avif"]["mime"],
            fallback=fallback,
        )

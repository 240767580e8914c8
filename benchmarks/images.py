"""Image renditions: time to make the full set for a 24-megapixel photo, and bytes saved.

Run with `make benchmark` or `.venv/bin/python benchmarks/images.py [--megapixels 24]`.
Uses its own database (DATABASE_URL's server, database `newsroom_bench`) and a temporary
media folder, so neither the demo nor its files are touched. Prints:
- the time to check and re-encode the upload, and to make the whole rendition set;
- each rendition's size as a fraction of the original, the bytes a reader's browser
  fetches for typical layouts, and the saving versus sending the original.
"""

import argparse
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
)
os.environ.setdefault("CACHE_URL", "locmem://")
# Renditions are made by the benchmark itself, timed, not by a task on save.
os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"


def setup_django(media_root: str):
    os.environ["MEDIA_ROOT"] = media_root
    from newsroom import dbsetup

    if dbsetup.main() != 0:
        sys.exit(1)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def photo_like(width: int, height: int) -> bytes:
    """A camera-like JPEG: sky gradient, textured ground, shapes and sensor noise."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(24)
    sky = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    sky = Image.merge(
        "RGB",
        [
            band.point(lambda v, k=k: 60 + v * k)
            for k, band in zip((0.3, 0.5, 0.7), sky.split(), strict=True)
        ],
    )
    picture = sky
    draw = ImageDraw.Draw(picture)
    horizon = int(height * 0.6)
    draw.rectangle([0, horizon, width, height], fill=(70, 90, 50))
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(horizon // 2, height)
        w, h = rng.randrange(width // 40, width // 8), rng.randrange(height // 30, height // 5)
        tone = tuple(rng.randrange(30, 220) for _ in range(3))
        draw.rectangle([x, y - h, x + w, y], fill=tone)
    draw.ellipse(
        [width * 0.7, height * 0.1, width * 0.78, height * 0.1 + width * 0.08], fill=(250, 230, 170)
    )
    # Texture and grain, so the encoders meet something like real photographic detail.
    grain = Image.effect_noise((width // 4, height // 4), 40).resize((width, height))
    picture = Image.blend(picture, Image.merge("RGB", [grain] * 3), 0.18)
    picture = picture.filter(ImageFilter.UnsharpMask(radius=2, percent=60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megapixels", type=float, default=24.0)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-media-") as media_root:
        setup_django(media_root)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import transaction

        from articles.imaging import normalise_upload
        from articles.models import Image
        from articles.rendition_store import ensure_renditions

        width = int((options.megapixels * 1_000_000 * 3 / 2) ** 0.5)
        height = width * 2 // 3
        original = photo_like(width, height)
        print(
            f"Original: {width} × {height} ({width * height / 1e6:.1f} MP), "
            f"JPEG {len(original) / 1e6:.2f} MB\n"
        )

        started = time.perf_counter()
        upload = SimpleUploadedFile("bench.jpg", original, content_type="image/jpeg")
        cleaned = normalise_upload(upload)
        check_seconds = time.perf_counter() - started
        with transaction.atomic():
            image = Image(caption="Benchmark", credit="Newsroom", alt_text="A landscape")
            image.file = cleaned
            image.save()

        started = time.perf_counter()
        made = ensure_renditions(image.pk)
        render_seconds = time.perf_counter() - started

        stored = len(original)
        total = sum(r.file_size for r in made.values())
        print(f"Upload check and re-encode: {check_seconds:.2f} s")
        print(
            f"Full rendition set: {len(made)} files in {render_seconds:.2f} s "
            f"({render_seconds / len(made) * 1000:.0f} ms each), "
            f"{total / 1e6:.2f} MB in all = {total / stored:.3f} × the original\n"
        )

        print(f"{'rendition':<16}{'size':>9}{'bytes':>11}{'÷ original':>12}")
        for name, rendition in sorted(
            made.items(), key=lambda i: (i[1].crop, i[1].format, i[1].width)
        ):
            print(
                f"{name:<16}{rendition.width:>5}×{rendition.height:<4}{rendition.file_size:>10,}"
                f"{rendition.file_size / stored:>12.4f}"
            )

        print("\nWhat a browser fetches instead of the original:")
        layouts = [
            ("phone, article photo", "full-960"),  # 360 CSS px at 2.6x
            ("laptop, article photo", "full-1280"),
            ("front page card", "card-640"),
            ("author portrait", "square-320"),
        ]
        for label, stem in layouts:
            for fmt in ("avif", "jpeg"):
                rendition = made.get(f"{stem}.{fmt}")
                if rendition is None:
                    continue
                saved = 1 - rendition.file_size / stored
                print(
                    f"  {label:<24}{fmt:<5}{rendition.file_size:>10,} bytes  "
                    f"{stored / rendition.file_size:>6.1f}× smaller, {saved:.1%} saved"
                )

        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nPeak memory, building the test photo included: {peak_mb:.0f} MB")
        with transaction.atomic():
            image.delete()


if __name__ == "__main__":
    main()

"""Photos for the demo, painted with Pillow so it needs no network and no stock library."""

import io
import random

from PIL import Image as PillowImage
from PIL import ImageDraw

PALETTE = [(28, 63, 96), (143, 45, 45), (46, 110, 73), (180, 120, 40), (90, 60, 120)]


def demo_photo(seed: int, size=(1600, 900)) -> bytes:
    """Paint an abstract landscape so the demo has real, varied JPEG photos offline."""
    rng = random.Random(seed)
    sky, ground = rng.sample(PALETTE, 2)
    picture = PillowImage.new("RGB", size, sky)
    draw = ImageDraw.Draw(picture)
    width, height = size
    for row in range(height // 2):
        shade = tuple(min(255, channel + row // 6) for channel in sky)
        draw.line([(0, row), (width, row)], fill=shade)
    horizon = int(height * rng.uniform(0.5, 0.7))
    draw.rectangle([0, horizon, width, height], fill=ground)
    for _ in range(6):
        x, w = rng.randrange(width), rng.randrange(60, 260)
        top = horizon - rng.randrange(40, horizon // 2)
        tone = tuple(max(0, channel - 40) for channel in ground)
        draw.rectangle([x, top, x + w, horizon], fill=tone)
    draw.ellipse(
        [width * 0.7, height * 0.1, width * 0.7 + 120, height * 0.1 + 120], fill=(250, 230, 170)
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()

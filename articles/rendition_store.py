"""Renditions made once, stored, and found again: the only code that writes them."""

from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from articles.models import Image, Rendition
from articles.renditions import RENDITION_LOCK_CLASS, planned_specs, render_specs, rendition_name


def _lock(image_id: int) -> None:
    # Held until the transaction ends. Two readers (or a reader and the worker) asking
    # for the same image's renditions queue here; the second then finds the rows made by
    # the first instead of encoding the same file again.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [RENDITION_LOCK_CLASS, image_id % 2**31]
        )


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def ensure_renditions(image_id: int, *, names: Iterable[str] | None = None) -> dict:
    """Return the image's current renditions by spec name, making any that are missing.

    names limits the work to those specs (a reader's first request); by default the
    whole set is made (the background task after an upload). Renditions of an earlier
    file or focal point are deleted.
    """
    with transaction.atomic():
        _lock(image_id)
        image = Image.objects.filter(pk=image_id).first()
        if image is None or not image.file:
            return {}
        key = image.rendition_key
        plan = {spec.name: spec for spec in planned_specs(image.width, image.height)}
        wanted = plan if names is None else {n: plan[n] for n in names if n in plan}
        current = {r.spec: r for r in image.renditions.filter(source_key=key)}
        missing = [spec for name, spec in wanted.items() if name not in current]

        # Made from an earlier file or focal point: each row's file goes once the
        # deletion is committed (see the post_delete receiver on Rendition).
        image.renditions.exclude(source_key=key).delete()

        if missing:
            with image.file.open("rb") as original:
                made = render_specs(original, missing, focal_x=image.focal_x, focal_y=image.focal_y)
            saved = []
            try:
                for spec, data in made:
                    # The file is complete in storage before its row exists, and readers
                    # only learn a rendition's address from the committed row, so no page
                    # can point at a half-written file.
                    stored = default_storage.save(
                        rendition_name(image, spec, key), ContentFile(data)
                    )
                    saved.append(stored)
                    current[spec.name] = Rendition.objects.create(
                        image=image,
                        spec=spec.name,
                        source_key=key,
                        crop=spec.crop,
                        format=spec.format,
                        width=spec.width,
                        height=spec.height,
                        file=stored,
                        file_size=len(data),
                    )
            except BaseException:
                _delete_files(saved)
                raise
        # The whole set, each under its derived name: pages may stop reading the rows.
        whole = all(
            name in current and current[name].file.name == rendition_name(image, spec, key)
            for name, spec in plan.items()
        )
        if whole and image.renditions_made_for != key:
            Image.objects.filter(pk=image.pk).update(renditions_made_for=key)
    return {name: current[name] for name in wanted if name in current}

from django import template
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects

from articles.figures import render_body_figures
from articles.models import Article, Rendition

register = template.Library()


@register.inclusion_tag("articles/includes/picture.html")
def picture(image, crop="full", sizes="100vw", lazy=True, css_class="img-fluid"):
    """A <picture> of renditions: AVIF with a JPEG fallback, sized so nothing jumps."""
    return {
        "image": image,
        "picture": image.picture(crop) if image else None,
        "sizes": sizes,
        "lazy": lazy,
        "css_class": css_class,
    }


@register.simple_tag
def photographer_photos(author, limit=12):
    """The newest published photos credited to author, with renditions (and the portrait's).

    Only lead photos of published articles: an embargoed story's photo stays private.
    Two queries whatever the number of photos; the portrait rides along in the second.
    """
    # EXISTS probes each photo's few articles by index, where a join over every published
    # article plus DISTINCT would grow with the archive.
    shown = Article.objects.published().filter(lead_image=OuterRef("pk"))
    photos = list(author.photos.filter(Exists(shown))[:limit])
    images = [*photos, author.photo] if author.photo_id else photos
    prefetch_related_objects(images, Prefetch("renditions", Rendition.objects.for_pictures()))
    return photos


@register.simple_tag
def article_body(article):
    """The sanitised body with each library figure drawn with renditions and credit."""
    return render_body_figures(article.body)

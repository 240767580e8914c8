from django import forms
from django.utils import timezone
from django.utils.text import slugify

from articles.imaging import ACCEPTED_CONTENT_TYPES, normalise_upload
from articles.models import Article, Image


class LibraryImageField(forms.FileField):
    """An upload checked and cleaned by Newsroom's own rules, with errors that name the
    problem (Django's ImageField only says "not a valid image" whatever went wrong)."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPTED_CONTENT_TYPES})

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return normalise_upload(upload)


class ImageForm(forms.ModelForm):
    file = LibraryImageField(
        label="Photo",
        help_text="A JPEG, PNG or WebP photo. Location and camera details are removed "
        "before it is stored; the largest size accepted is set by the site.",
    )

    class Meta:
        model = Image
        fields = [
            "file",
            "caption",
            "credit",
            "photographer",
            "alt_text",
            "is_decorative",
            "focal_x",
            "focal_y",
        ]


class ArticleAdminForm(forms.ModelForm):
    """The article editor's form: "publish now", a new address and a lead image's missing
    credit or alt text, all in the one save."""

    update_slug = forms.BooleanField(
        label="Update the address to match the headline",
        required=False,
        help_text="Links to the old address keep working.",
    )
    lead_image_credit = forms.CharField(
        label="Credit for the lead image",
        required=False,
        max_length=Image._meta.get_field("credit").max_length,
        help_text="Only used when the chosen lead image has no credit yet; "
        "it is saved on the image for every story that uses it.",
    )
    lead_image_alt_text = forms.CharField(
        label="Alt text for the lead image",
        required=False,
        max_length=Image._meta.get_field("alt_text").max_length,
        help_text="Only used when the chosen lead image has none yet: "
        "what the photo shows, for readers who cannot see it.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "section",
            "body",
            "lead_image",
            "status",
            "published_at",
            "is_front_page_lead",
            "comments_open",
            "comments_premoderated",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            # What the help text promises: an empty publish time means now.
            cleaned["published_at"] = timezone.now()
        if cleaned.get("update_slug") and cleaned.get("headline"):
            cleaned["slug"] = slugify(cleaned["headline"], allow_unicode=True)[:250] or "article"
        image = cleaned.get("lead_image")
        if image is not None:
            # Filled in on the chosen image only where it has nothing, so switching the lead
            # image never overwrites another photo's credit with a stale one.
            if not image.credit.strip() and cleaned.get("lead_image_credit", "").strip():
                image.credit = cleaned["lead_image_credit"].strip()
                self.image_to_save = image
            if (
                not image.alt_text.strip()
                and not image.is_decorative
                and cleaned.get("lead_image_alt_text", "").strip()
            ):
                image.alt_text = cleaned["lead_image_alt_text"].strip()
                self.image_to_save = image
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The refused field has left cleaned_data by now; the instance still holds it.
        image = self.instance.lead_image if self.instance.lead_image_id else None
        if image is None or "lead_image" not in self.errors:
            return
        # The refusal names the fix, and the box to type it in sits right under it.
        if not image.credit.strip():
            self.add_error(
                "lead_image_credit", "Type the photo's credit here, e.g. “AFP” or “Staff photo”."
            )
        if not image.alt_text.strip() and not image.is_decorative:
            self.add_error("lead_image_alt_text", "Describe what the photo shows here.")

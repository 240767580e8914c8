from django import forms

from articles.imaging import ACCEPTED_CONTENT_TYPES, normalise_upload
from articles.models import Image


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

"""Forms readers fill in: a comment (with the checks a reader never notices) and a report."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.core import signing
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from comments.models import NAME_MAX_LENGTH, Report
from comments.text import control_characters, is_blank, normalize_newlines

RENDERED_AT_SALT = "newsroom.comments.form-rendered-at"
# Text up to this many times a field's limit is shown again for the reader to shorten.
SHOW_AGAIN_FACTOR = 2


def rendered_at_token(*, article_pk: int) -> str:
    """A signed note of which article's form was shown when, to tell people from scripts."""
    return signing.dumps([article_pk, timezone.now().timestamp()], salt=RENDERED_AT_SALT)


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(seconds // 60, 1)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def csrf_input_for(request) -> str:
    """A CSRF field for signed-in readers only; anonymous pages are cached and shared."""
    return csrf_input(request) if request.user.is_authenticated else ""


def staff_initial(user) -> dict:
    """Prefill a signed-in staff member's name and email."""
    if not (user.is_authenticated and user.is_staff):
        return {}
    author = getattr(user, "author_profile", None)
    return {"name": author.name if author else user.get_full_name(), "email": user.email}


class CommentForm(forms.Form):
    """The reader's comment. Spam checks here are the ones a reader never notices."""

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Please give a name to show with your comment.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Never shown publicly."),
        error_messages={
            "required": _("Please give your email address; it is never shown publicly."),
            "invalid": _("That does not look like an email address; please check it."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label=_("Comment"),
        # Kept as typed: leading spaces or blank lines may be part of what the reader meant.
        strip=False,
        error_messages={"required": _("Please write a comment before posting.")},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    in_reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people (and from screen readers), filled in by form robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, article_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.article_pk = article_pk
        self.fields["rendered_at"].initial = rendered_at_token(article_pk=article_pk)
        self.helper = FormHelper(self)
        # The template writes the <form> tag, so anonymous pages carry no CSRF token.
        self.helper.form_tag = False
        # The template adds the token itself, and only for signed-in readers (cached pages).
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("name"),
            Field("email"),
            Field("body"),
            Div("website", css_class="d-none", aria_hidden="true"),
            Field("in_reply_to"),
        )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if control_characters(name, allow_line_breaks=False):
            raise forms.ValidationError(
                gettext("A name cannot contain line breaks or control characters.")
            )
        if is_blank(name):
            raise forms.ValidationError(gettext("Please give a name to show with your comment."))
        return name

    def clean_body(self):
        raw = self.cleaned_data["body"]
        limit = settings.COMMENTS_MAX_LENGTH
        # Measured before anything looks at each character, so a megabyte from a script
        # costs no more than a paragraph. A CRLF pair becomes one line break when stored.
        length = len(raw) - raw.count("\r\n")
        if length > limit:
            message = gettext(
                "Comments are limited to %(limit)s characters; yours has %(length)s. "
                "Please shorten it."
            ) % {
                "limit": number_format(limit, force_grouping=True),
                "length": number_format(length, force_grouping=True),
            }
            if length > SHOW_AGAIN_FACTOR * limit:
                message += " " + gettext("It is too long to show here again.")
            raise forms.ValidationError(message)
        body = normalize_newlines(raw)
        if control_characters(body, allow_line_breaks=True):
            raise forms.ValidationError(
                gettext("Your comment contains invisible control characters; please remove them.")
            )
        if is_blank(body):
            raise forms.ValidationError(gettext("Please write a comment before posting."))
        return body

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                gettext("Your comment could not be posted. Please try again.")
            )
        incomplete = forms.ValidationError(
            gettext("The form was incomplete. Please check your comment and post it again.")
        )
        try:
            article_pk, shown_at = signing.loads(
                self.data.get("rendered_at", ""), salt=RENDERED_AT_SALT
            )
            shown_at = float(shown_at)
        except (signing.BadSignature, TypeError, ValueError):
            raise incomplete from None
        # Bound to its article: a form fetched once cannot be replayed under every story.
        if article_pk != self.article_pk:
            raise incomplete
        # Capped, so a stamp copied from a page long ago (or shared by every reader of a
        # cached page) does not serve forever; the reader's text comes back to post again.
        seconds = timezone.now().timestamp() - shown_at
        max_age = settings.COMMENTS_FORM_MAX_AGE_SECONDS
        if seconds > max_age:
            raise forms.ValidationError(
                gettext(
                    "This form has expired (it was opened more than %(duration)s ago). "
                    "Your comment is kept below: please post it again."
                )
                % {"duration": _duration(max_age)}
            )
        if seconds < settings.COMMENTS_MIN_SECONDS_TO_POST:
            raise forms.ValidationError(
                gettext("That was quick! Please read your comment over once more, then post it.")
            )
        return cleaned

    def restart_clock(self) -> None:
        """Show the form again with a new render time, so the reader can simply post again."""
        self.data = self.data.copy()
        self.data["rendered_at"] = rendered_at_token(article_pk=self.article_pk)
        # A reader a little over a limit gets the text back to shorten it; what only a
        # script sends is not echoed (it would make every refusal a megabyte to send).
        limits = {
            "name": NAME_MAX_LENGTH,
            "email": 254,
            "body": settings.COMMENTS_MAX_LENGTH,
            "website": 200,
        }
        for name, limit in limits.items():
            if len(self.data.get(name, "")) > SHOW_AGAIN_FACTOR * limit:
                self.data[name] = ""


# The reasons as readers read them, in the page's language; moderators see the model's.
REPORT_REASON_LABELS = {
    Report.Reason.SPAM: _("Spam"),
    Report.Reason.ABUSE: _("Abuse"),
    Report.Reason.OFF_TOPIC: _("Off-topic"),
    Report.Reason.VIOLENCE: _("Threat of violence"),
    Report.Reason.OTHER: _("Other"),
}


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this comment?"),
        choices=[
            (value, REPORT_REASON_LABELS.get(value, label))
            for value, label in Report.Reason.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose why you are reporting this comment.")},
    )
    note = forms.CharField(
        label=_("Anything our moderators should know? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

"""Forms moderators fill in: hide, feature, bulk actions, the queue's filters, bans, privacy."""

from django import forms

from articles.models import Section
from comments.models import Comment, ModerationReason


class CompactFieldsMixin:
    """Small Bootstrap controls for forms laid out in a row above the queue."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
            elif not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def full_clean(self):
        super().full_clean()
        # Mark what needs the moderator's attention, for the eye and for screen readers.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


REASON_PROMPT = ("", "Choose a reason…")

IP_BAN_WARNING = (
    "Warning: this blocks everyone who shares the address, not only this commenter. An "
    "office, a school, a café's Wi-Fi or a mobile carrier can put hundreds of readers behind "
    "one address. Prefer the email address; if you must ban the address, give the ban an end."
)


class HideForm(forms.Form):
    # No reason is preselected: a hurried hide would otherwise record "Spam" for anything.
    reason = forms.ChoiceField(
        choices=[REASON_PROMPT, *ModerationReason.choices],
        error_messages={"required": "Choose why this comment is hidden; nothing was hidden."},
    )
    note = forms.CharField(required=False, max_length=500)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=500)


class FeatureForm(forms.Form):
    is_featured = forms.BooleanField(required=False)


class BulkActionForm(CompactFieldsMixin, forms.Form):
    ACTIONS = [("approve", "Approve"), ("hide", "Hide"), ("unhide", "Unhide")]

    action = forms.ChoiceField(
        choices=[("", "Choose an action…"), *ACTIONS],
        error_messages={"required": "Choose what to do with the ticked comments."},
    )
    reason = forms.ChoiceField(
        label="Reason (to hide)", choices=[REASON_PROMPT, *ModerationReason.choices], required=False
    )
    note = forms.CharField(required=False, max_length=500)
    comments = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": "Tick the comments to act on first."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "hide" and not cleaned.get("reason"):
            self.add_error("reason", "Choose a reason to hide the ticked comments.")
        return cleaned


class QueueFilterForm(CompactFieldsMixin, forms.Form):
    SHOW = [
        ("needs-review", "Needs a look"),
        ("reported", "Reported"),
        ("pending", "Held for review"),
        ("recent", "Recently posted"),
        ("all", "All comments"),
    ]

    show = forms.ChoiceField(choices=SHOW, required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Comment.Status.choices], required=False
    )
    article = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    section = forms.ModelChoiceField(
        queryset=Section.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label="Any section",
    )
    posted_from = forms.DateField(
        required=False, label="Posted on or after", widget=forms.DateInput(attrs={"type": "date"})
    )
    email = forms.EmailField(required=False, widget=forms.HiddenInput)


class BanForm(forms.Form):
    ban_email = forms.BooleanField(label="Ban this email address", required=False, initial=True)
    ban_ip = forms.BooleanField(
        label="Ban this IP address",
        required=False,
        help_text=IP_BAN_WARNING,
    )
    reason = forms.ChoiceField(
        choices=[REASON_PROMPT, *ModerationReason.choices],
        error_messages={"required": "Choose why this commenter is banned."},
    )
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expires_in_days = forms.IntegerField(
        label="Ends after (days)",
        required=False,
        min_value=1,
        help_text="Leave empty to ban until lifted.",
    )
    hide_comments = forms.BooleanField(
        label="Also hide all of this commenter's earlier comments", required=False
    )


class PrivacyForm(forms.Form):
    email = forms.EmailField(label="Email address")
    confirm = forms.BooleanField(
        label="I understand erasing cannot be undone",
        required=False,
    )

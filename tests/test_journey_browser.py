"""The whole story in a real browser, and what axe-core finds on the pages people use.

An editor logs in, uploads a credited photo and publishes an article with it; a reader finds
it on the front page, comments and gets a reply; a moderator hides the comment from the page;
the reader sees the placeholder and the count drop.
"""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image as PillowImage

from articles.models import Article
from comments.models import Comment
from tests.comments.helpers import add_comment
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    ModeratorFactory,
    SectionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # what the user factories set


@pytest.fixture(autouse=True)
def readers_post_at_once(settings):
    settings.COMMENTS_MIN_SECONDS_TO_POST = 0
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def open_page():
        # axe-core is injected by the test, so the page's own script policy must not stop it.
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def photo_upload() -> dict:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (1200, 800), (40, 110, 170)).save(buffer, "JPEG")
    return {"name": "ministers.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def log_in(page, user):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def choose_in_autocomplete(page, field_id: str, text: str):
    """Pick an option in one of the admin's search-as-you-type selects."""
    page.locator(f'[aria-labelledby="select2-{field_id}-container"]').click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    option = page.locator(".select2-results__option", has_text=text).first
    option.wait_for()
    option.click()


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} places)"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_editor_publishes_a_reader_comments_a_moderator_hides(new_page):
    SectionFactory(name="Pakistan")
    AuthorFactory(name="Amina Qureshi")
    editor, moderator = EditorFactory(), ModeratorFactory()

    desk = new_page()
    log_in(desk, editor)
    desk.goto("/admin/articles/image/add/")
    desk.locator('input[name="file"]').set_input_files(photo_upload())
    desk.get_by_label("Caption").fill("Agency screengrab of the two ministers")
    desk.get_by_label("Credit").fill("Express News screengrab")
    desk.get_by_label("Alt text").fill("Two ministers at a press conference")
    desk.get_by_role("button", name="Save", exact=True).click()
    desk.locator(".messagelist .success").first.wait_for()

    desk.goto("/admin/articles/article/add/")
    desk.get_by_label("Headline").fill("Ministers agree on water talks")
    desk.get_by_label("Standfirst").fill("Both sides will meet again in March.")
    choose_in_autocomplete(desk, "id_section", "Pakistan")
    desk.locator(".ProseMirror[contenteditable=true]").click()
    desk.keyboard.type("The talks ran late into the night.")
    choose_in_autocomplete(desk, "id_lead_image", "Agency screengrab")
    choose_in_autocomplete(desk, "id_bylines-0-author", "Amina Qureshi")
    desk.get_by_label("Status").select_option(label="Published")
    # The publish time stays empty: "Leave empty to publish now".
    desk.get_by_role("button", name="Save", exact=True).click()
    desk.get_by_text("“Ministers agree on water talks” is live for readers.").wait_for()
    article = Article.objects.get(headline="Ministers agree on water talks")
    assert article.is_published

    reader = new_page()
    reader.goto("/")
    reader.get_by_role("link", name="Ministers agree on water talks").first.click()
    reader.wait_for_url(f"**{article.get_absolute_url()}")
    assert "Express News screengrab" in reader.locator("figure.lead-image").inner_text()
    assert "By Amina Qureshi" in reader.locator(".bylines").first.inner_text()
    form = reader.locator("#comment-form")
    form.get_by_label("Name").fill("Xenia")
    form.get_by_label("Email").fill("xenia@example.org")
    form.get_by_label("Comment").fill("Water is the whole story here.")
    form.get_by_role("button", name="Post comment").click()
    reader.wait_for_url("**#comment-*")
    first = Comment.objects.get(name="Xenia")

    replier = new_page()
    replier.goto(article.get_absolute_url())
    replier.get_by_role("link", name="Reply to Xenia").click()
    reply_form = replier.locator("#comment-form")
    reply_form.get_by_label("Name").fill("Bilal")
    reply_form.get_by_label("Email").fill("bilal@example.org")
    reply_form.get_by_label("Comment").fill("And the dams upstream.")
    reply_form.get_by_role("button", name="Post comment").click()
    replier.wait_for_url("**#comment-*")
    assert Comment.objects.get(name="Bilal").in_reply_to == first
    reader.reload()
    assert "Reader Comments (2)" in reader.content()

    moderation = new_page()
    log_in(moderation, moderator)
    moderation.goto(article.get_absolute_url())
    controls = moderation.get_by_role("group", name="Moderate the comment by Xenia")
    controls.get_by_label("Reason for hiding").select_option(label="Spam")
    controls.get_by_role("button", name="Hide").click()
    moderation.locator(f"#{first.anchor}").get_by_role("button", name="Unhide").wait_for()

    reader.reload()
    assert reader.get_by_text("This comment was hidden by moderators.").is_visible()
    assert reader.get_by_text("Water is the whole story here.").count() == 0
    assert "Reader Comments (1)" in reader.content()
    assert reader.get_by_text("And the dams upstream.").is_visible()


def test_the_pages_readers_and_moderators_use_have_no_serious_accessibility_problems(new_page):
    article = ArticleFactory(headline="Floods reach Sukkur")
    ArticleFactory.create_batch(5)
    add_comment(article=article, name="Xenia", body="Stay safe, everyone.")
    add_comment(article=article, name="Omar", body="The levee held last time.", status="pending")
    reader = new_page()

    reader.goto("/")
    assert serious_violations(reader) == [], "front page"
    # The checker does see a problem when there is one: a picture without alt text.
    reader.evaluate("document.body.append(Object.assign(new Image(), {src: '/favicon.ico'}))")
    assert any(problem.startswith("image-alt") for problem in serious_violations(reader))

    reader.goto(article.get_absolute_url())
    assert serious_violations(reader) == [], "article page with comments"

    # The comment form refused by the server: empty name and comment, posted by a browser
    # that does not check required fields itself.
    reader.locator("#comment-form").evaluate("form => { form.noValidate = true; }")
    reader.locator("#comment-form").get_by_role("button", name="Post comment").click()
    reader.locator(".invalid-feedback, .errorlist, .alert").first.wait_for()
    assert serious_violations(reader) == [], "comment form with errors"

    moderation = new_page()
    log_in(moderation, ModeratorFactory())
    moderation.goto("/comments/moderation/")
    moderation.get_by_text("Omar").first.wait_for()
    assert serious_violations(moderation) == [], "moderation queue"

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_reopenings_to_articles(apps, schema_editor):
    """Existing reopenings keep comments open: their end moves onto the article."""
    Article = apps.get_model("articles", "Article")
    CommentReopening = apps.get_model("comments", "CommentReopening")
    until = CommentReopening.objects.filter(article=OuterRef("pk")).values("open_until")[:1]
    Article.objects.filter(comment_reopening__isnull=False).update(
        comments_reopened_until=Subquery(until)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_comments_reopened_until"),
        ("comments", "0006_report_network"),
    ]

    operations = [
        migrations.RunPython(copy_reopenings_to_articles, migrations.RunPython.noop),
    ]

from django import template

from articles.structured_data import article_news_data, json_ld_script

register = template.Library()


@register.simple_tag
def article_json_ld(article, corrections):
    """The article's NewsArticle data for search engines, with its corrections."""
    return json_ld_script(article_news_data(article, corrections))

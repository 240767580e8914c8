"""Feeds and sitemaps read as a feed reader or a crawler reads them: parsed XML, not text."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = {
    "sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def parse(response) -> ET.Element:
    """The document of a 200 response; a syntax error fails the test as a reader would."""
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.content)


def local(address: str) -> str:
    """The path (and query) of an absolute address, for the test client."""
    parts = urlsplit(address)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemaps_listed(client, **headers) -> list[str]:
    """The sitemaps the index at /sitemap.xml names."""
    index = parse(client.get("/sitemap.xml", **headers))
    return [loc.text for loc in index.findall("sitemap:sitemap/sitemap:loc", NS)]


def sitemap_addresses(client, **headers) -> list[str]:
    """Every page address a crawler finds by following the sitemap index."""
    addresses = []
    for sitemap in sitemaps_listed(client, **headers):
        urlset = parse(client.get(local(sitemap), **headers))
        addresses += [loc.text for loc in urlset.findall("sitemap:url/sitemap:loc", NS)]
    return addresses

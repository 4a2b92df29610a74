"""A corpus of cross-site-scripting vectors: nothing executable survives in an article body."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<body onload="alert(1)">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example"><input name="x"></form>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="width: expression(alert(1))">styled</div>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<p onmouseover="alert(1)">hover</p>',
    '<details open ontoggle="alert(1)">x</details>',
    '<video><source onerror="alert(1)"></video>',
    '<p><a href="https://ok.example" onclick="alert(1)">ok</a></p>',
    '"><script>alert(1)</script>',
    "<p>unclosed <b>bold <i>italic",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]

EVENT_ATTRIBUTE = re.compile(r"^on", re.IGNORECASE)
DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "link",
    "meta",
    "base",
    "svg",
    "math",
    "style",
    "template",
    "noscript",
    "video",
    "source",
    "img",
    "details",
    "body",
}


@pytest.mark.parametrize("vector", VECTORS)
def test_nothing_executable_survives_in_a_stored_article_body(vector):
    stored = ArticleFactory(body=f"<p>Before</p>{vector}<p>After</p>").body
    soup = BeautifulSoup(stored, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in DANGEROUS_TAGS, stored
        for attribute, value in tag.attrs.items():
            assert not EVENT_ATTRIBUTE.match(attribute), stored
            assert attribute != "style", stored
            if attribute == "href":
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower().split(":", 1)[0]
                assert scheme in {"http", "https", "mailto", "tel"} or ":" not in value, stored


@pytest.mark.parametrize("vector", VECTORS)
def test_a_hostile_body_renders_on_the_article_page_without_script(client, vector):
    article = ArticleFactory(body=f"<p>Before</p>{vector}<p>After</p>")
    body = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser").select_one(
        ".prose"
    )
    assert body.find("script") is None
    assert not [t for t in body.find_all(True) if any(EVENT_ATTRIBUTE.match(a) for a in t.attrs)]

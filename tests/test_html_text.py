from annotations import html_text


def test_paragraphs_become_lines_and_inline_markup_disappears():
    html = "<h1>Title</h1><p>First <em>para</em>graph,\n  wrapped.</p><p>Second<br>line</p>"
    assert html_text.html_to_text(html_text.sanitize(html)) == (
        "Title\nFirst paragraph, wrapped.\nSecond\nline"
    )


def test_scripts_handlers_and_javascript_links_are_removed():
    dirty = (
        '<p onclick="steal()">Hi<script>alert(1)</script><img src=x onerror=alert(2)>'
        '<a href="javascript:alert(3)">x</a><a href="https://ok.example">ok</a></p>'
    )
    clean = html_text.sanitize(dirty)
    assert "script" not in clean and "onerror" not in clean and "onclick" not in clean
    assert "javascript:" not in clean and "<img" not in clean
    assert 'href="https://ok.example"' in clean
    assert html_text.html_to_text(clean) == "Hixok"


def test_entities_are_decoded_into_the_text():
    assert html_text.html_to_text("<p>Fish &amp; chips &mdash; 5&nbsp;€</p>") == (
        "Fish & chips — 5\u00a0€".replace("\u00a0", " ")
    )

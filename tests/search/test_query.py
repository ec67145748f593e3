from annotations.search.query import query_terms, strip_noise

TWEET = (
    'BREAKING: Governor says vaccine mandates are "illegal" & unconstitutional: '
    "https://t.co/abc123 pic.twitter.com/XyZ @someone #COVID19 — Jane Doe (@janedoe) "
    "March 3, 2020"
)


def test_urls_handles_and_the_tweet_signature_do_not_reach_the_query():
    terms = query_terms(TWEET)
    assert terms[:5] == ["breaking", "governor", "vaccine", "mandates", "illegal"]
    assert "unconstitutional" in terms and "covid19" in terms
    for noise in (
        "https",
        "t",
        "co",
        "abc123",
        "pic",
        "twitter",
        "someone",
        "janedoe",
        "jane",
        "march",
    ):
        assert noise not in terms
    assert "http" not in strip_noise(TWEET)


def test_stop_words_punctuation_and_repeats_are_dropped():
    assert query_terms('The "tax" & the TAX: it\'s (fell)!') == ["tax", "fell"]


def test_nothing_significant_gives_no_terms():
    assert query_terms("") == []
    assert query_terms(" \"&:*()' ") == []
    assert query_terms("the and of") == []


def test_words_in_other_scripts_and_accents_survive():
    assert query_terms("Референдум в Херсоне — café") == ["референдум", "херсоне", "café"]

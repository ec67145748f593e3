from annotations.search.query import normalise, query_terms, query_words, rarest_terms, snippet

TWEET = (
    'BREAKING: Governor says vaccine mandates are "illegal" & unconstitutional: '
    "https://t.co/abc123 pic.twitter.com/XyZ @someone #COVID19Vaccine — Jane Doe (@janedoe) "
    "March 3, 2020"
)


def test_urls_go_tags_become_words_and_the_signature_keeps_only_the_name():
    assert normalise(TWEET) == (
        'BREAKING: Governor says vaccine mandates are "illegal" & unconstitutional: '
        "someone COVID19 Vaccine — Jane Doe"
    )


def test_handles_and_hashtags_split_where_their_words_start():
    assert normalise("@realDonaldTrump says #StopTheSteal #wind_farms") == (
        "real Donald Trump says Stop The Steal wind farms"
    )


def test_terms_come_from_the_normalised_text():
    terms = query_terms(TWEET)
    assert terms == [
        "breaking",
        "governor",
        "vaccine",
        "mandates",
        "illegal",
        "unconstitutional",
        "someone",
        "covid19",
        "jane",
        "doe",
    ]


def test_a_dash_that_is_not_a_signature_is_kept():
    text = "Prices rose 5% - the minister (@min) said so"
    assert normalise(text) == "Prices rose 5% - the minister (min) said so"


def test_stop_words_punctuation_and_repeats_are_dropped():
    assert query_terms('The "tax" & the TAX: it\'s (fell)!') == ["tax", "fell"]


def test_only_noise_or_stop_words_gives_no_terms():
    assert query_terms(" \"&:*()' https://t.co/x ") == []
    assert query_terms("the and of") == []


def test_words_in_other_scripts_and_accents_survive():
    assert query_terms("Референдум в Херсоне — café") == ["референдум", "херсоне", "café"]


def test_the_snippet_is_the_window_with_most_query_words_marked():
    text = "Filler words here. " * 20 + "The vaccines are safe, and vaccination works well."
    assert snippet(text, query_words(["vaccine", "safe"]), words=8) == (
        "… words here. The [[vaccines]] are [[safe]], and [[vaccination]] …"
    )


def test_with_no_query_word_in_it_the_snippet_is_the_start():
    assert snippet("One two three four five", query_words(["zebra"]), words=3) == "One two three …"


def test_the_rarest_terms_fit_a_document_budget_by_dropping_the_commonest():
    rows = [("rare", 0, 10), ("mid", 1, 400), ("common", 2, 900), ("unknown", 3, None)]
    assert rarest_terms(rows, archive_size=100_000) == ["rare", "mid", "common"]
    assert rarest_terms(rows, archive_size=100_000, most_documents=500) == ["rare", "mid"]
    assert rarest_terms(rows, archive_size=100_000, most_documents=5) == ["rare"]


def test_a_query_of_common_words_only_asks_for_articles_holding_its_rarest_words_together():
    from annotations.search.query import required_terms

    # 10,000 articles; the rarest word is in 2,000: ORing would rank thousands.
    common = [("minister", 0, 4000), ("budget", 1, 2000), ("tax", 2, 3000), ("new", 3, None)]
    # budget alone: 2,000; with tax: 10,000 x 0.2 x 0.3 = 600 <= 1,000.
    assert required_terms(common, archive_size=10_000, most_documents=1000) == ["budget", "tax"]
    # A rare word is enough on its own: the usual OR of the rarest words.
    rare = [*common, ("Duarte", 4, 12)]
    assert required_terms(rare, archive_size=10_000, most_documents=1000) == []
    assert required_terms([("x", 0, None)], archive_size=10_000, most_documents=1000) == []

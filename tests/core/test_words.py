from ccx.core.words import word_count


def test_a_word_is_a_chunk_between_spaces() -> None:
    assert word_count("Streets flood after storms") == 4
    assert word_count("Les rues sont inondées après l'orage") == 6
    assert word_count("Улицы затапливает после ливней") == 4
    assert word_count("  ") == 0


def test_a_script_without_spaces_counts_two_characters_a_word() -> None:
    assert word_count("交通拥堵") == 2  # as search passages count them
    assert word_count("减少市中心交通拥堵") == 5
    assert word_count("ถนนน้ำท่วม") == 5  # Thai: 10 characters, no spaces
    assert word_count("Zone 30 à 北京") == 4  # mixed scripts: each counted its own way

from ccx.core.markdown import render_markdown


def test_indented_text_is_read_as_text_not_as_a_code_block() -> None:
    html = render_markdown("Intro\n\n    (1) Stationery in newly opened schools\n\n        deeper indented line")
    assert html == "<p>Intro</p>\n<p>(1) Stationery in newly opened schools</p>\n<p>deeper indented line</p>"


def test_nested_lists_inline_code_and_tables_still_work() -> None:
    html = render_markdown("- a\n    - b\n\nRun `ccx setup`.\n\n| x | y |\n|---|---|\n| 1 | 2 |")
    assert html.startswith(
        "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n<p>Run <code>ccx setup</code>.</p>\n<table>"
    )
    assert "<pre>" not in html


def test_markdown_to_text_keeps_the_words_only() -> None:
    from ccx.core.markdown import markdown_to_text

    assert markdown_to_text("### Title of the Solution\n\nA **bold** [link](https://a.example) & more") == (
        "Title of the Solution A bold link & more"
    )

"""The drawing module: scales with round ticks, and images that name themselves accessibly."""

from netlearn.core.charts import Drawing, Scale, label, message


def test_a_scale_maps_its_ends_and_widens_to_round_ticks():
    scale = Scale.over([3.2, 47.9], 100, 0, nice=True)
    assert (scale.low, scale.high) == (0, 50)
    assert scale(0) == 100 and scale(50) == 0 and scale(25) == 50
    assert scale.ticks() == [0, 10, 20, 30, 40, 50]


def test_equal_values_still_get_a_span():
    scale = Scale.over([7, 7], 0, 10)
    assert (scale.low, scale.high) == (6, 8) and scale(7) == 5


def test_tick_labels_carry_no_float_noise():
    assert [label(v) for v in (0.1 + 0.2, 2.0, -5.0, 12.5, 1e6, -0.0)] == [
        "0.3",
        "2",
        "-5",
        "12.5",
        "1000000",
        "0",
    ]


def test_a_drawing_has_a_title_and_description_and_escapes_every_text():
    drawing = Drawing(200, 100, title="A & B", description="<b>", standalone=True)
    drawing.text(10, 10, "x < y", class_="tick")
    svg = drawing.svg()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">A &amp; B</title><desc id="chart-desc">&lt;b&gt;</desc>' in svg
    assert '<text x="10" y="10" class="tick">x &lt; y</text>' in svg


def test_an_empty_chart_says_so_in_words():
    svg = message(300, 80, "Nothing to show.", title="Trend")
    assert svg.count("Nothing to show.") == 2  # the description and the drawn text

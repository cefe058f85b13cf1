"""Shared form helpers: the long select renders what Django's select renders, escaped, in one pass."""

import re

from django import forms

from linli.core.forms import LongSelect


class _Form(forms.Form):
    choice = forms.ChoiceField(choices=[("1", "甲"), ("2", "乙 <b>&"), ("3", "丙")], widget=LongSelect)
    plain = forms.ChoiceField(choices=[("1", "甲"), ("2", "乙 <b>&"), ("3", "丙")])


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


def test_a_long_select_offers_the_same_options_as_django_select_with_the_value_selected():
    form = _Form(initial={"choice": "2", "plain": "2"})
    long_html, plain_html = str(form["choice"]), str(form["plain"])
    assert _options(long_html) == _options(plain_html)
    assert ("2", True, "乙 &lt;b&gt;&amp;") in _options(long_html)
    assert 'name="choice"' in long_html and 'id="id_choice"' in long_html
    assert "<b>" not in long_html


def test_a_long_select_keeps_the_attributes_a_template_adds():
    html = _Form()["choice"].as_widget(attrs={"class": "form-select"})
    assert 'class="form-select"' in html

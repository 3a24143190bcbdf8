"""The unified social credit code check (GB 32100-2015) used by invoice requests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsdesk.aftersales.validators import (
    USCC_CHARS,
    email_clean,
    tax_id_clean,
    tax_id_problem,
    uscc_check_char,
)
from opsdesk.lib.errors import Refused

bodies = st.tuples(
    st.text(USCC_CHARS, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(USCC_CHARS, min_size=9, max_size=9),
).map("".join)


def test_it_accepts_published_example_codes() -> None:
    for code in ("91350100M000100Y43", "911100001011009837", "91110000100010433L"):
        assert tax_id_problem(code) is None, code


@given(bodies)
def test_a_generated_code_is_valid(body: str) -> None:
    assert tax_id_problem(body + uscc_check_char(body)) is None


@given(bodies, st.integers(0, 17), st.sampled_from(USCC_CHARS))
def test_any_single_changed_character_is_refused(body: str, position: int, replacement: str) -> None:
    code = body + uscc_check_char(body)
    mutated = code[:position] + replacement + code[position + 1:]
    if mutated != code:
        assert tax_id_problem(mutated) is not None


def test_it_names_the_problem() -> None:
    assert "18 位" in (tax_id_problem("91350100M000100Y4") or "")
    assert "不允许的字符 O" in (tax_id_problem("91350100M000100YO3") or "")
    assert "第 18 位应为 3" in (tax_id_problem("91350100M000100Y44") or "")
    assert "行政区划" in (tax_id_problem("91A50100M000100Y43") or "")


def test_clean_normalises_case_and_spaces_and_refuses_blanks() -> None:
    assert tax_id_clean(" 91110000100010433l ") == "91110000100010433L"
    with pytest.raises(Refused, match="需要税号"):
        tax_id_clean("")
    with pytest.raises(Refused, match="校验位错误"):
        tax_id_clean("91350100M000100Y44")


def test_email_is_validated_with_djangos_validator() -> None:
    assert email_clean(" buyer@example.com ") == "buyer@example.com"
    for bad in ("buyer@", "buyer example.com", "@example.com"):
        with pytest.raises(Refused, match="邮箱地址无效"):
            email_clean(bad)

"""Invoice fields: the unified social credit code (统一社会信用代码, GB 32100-2015) and the e-mail address."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from opsdesk.lib.errors import Refused

# The code's alphabet: digits and capitals without I, O, S, V, Z (so they are not misread).
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Position weights are 3**i mod 31 (GB 32100-2015, 4.3).
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def uscc_check_char(body: str) -> str:
    """The 18th character for the first 17 (which must already be in the alphabet)."""
    total = sum(USCC_CHARS.index(char) * weight for char, weight in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def tax_id_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 18-character unified social credit code, or None when it is."""
    if len(code) != 18:
        return f"应为 18 位, 实为 {len(code)} 位"
    bad = sorted({char for char in code if char not in USCC_CHARS})
    if bad:
        return f"含有不允许的字符 {''.join(bad)} (不使用 I、O、S、V、Z)"
    if not code[2:8].isdigit():
        return "第 3-8 位应为行政区划码 (数字)"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"校验位错误 (第 18 位应为 {expected})"
    return None


def tax_id_clean(raw: str) -> str:
    """Upper-cased, spaces removed; raises Refused naming the problem."""
    code = "".join((raw or "").split()).upper()
    if not code:
        raise Refused("发票申请需要税号 (--tax-id)")
    problem = tax_id_problem(code)
    if problem:
        raise Refused(f"税号 {code} 不是有效的统一社会信用代码: {problem}")
    return code


def email_clean(raw: str) -> str:
    email = (raw or "").strip()
    if not email:
        raise Refused("发票申请需要邮箱 (--email)")
    try:
        EmailValidator()(email)
    except ValidationError as exc:
        raise Refused(f"邮箱地址无效: {email}") from exc
    return email

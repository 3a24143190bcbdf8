from __future__ import annotations

from django.test import override_settings

from opsdesk.lib.dates import now
from opsdesk.test import BaseTestCase
from opsdesk.web.cache import changed, memo


class MemoTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.calls = 0

    def count(self) -> int:
        self.calls += 1
        return self.calls

    def test_it_reuses_a_fresh_result(self) -> None:
        first, _ = memo("counts", at=now(), compute=self.count)
        again, _ = memo("counts", at=now(), compute=self.count)
        self.assertEqual((first, again, self.calls), (1, 1, 1))

    def test_it_recounts_after_a_desk_write(self) -> None:
        memo("counts", at=now(), compute=self.count)
        changed()
        value, _ = memo("counts", at=now(), compute=self.count)
        self.assertEqual(value, 2)

    def test_it_recounts_when_the_clock_moved_back(self) -> None:
        # A demo restarted at an earlier moment: counts made "in the future" are not reused.
        memo("counts", at=now(), compute=self.count)
        with override_settings(CLOCK_OFFSET=-3 * 3600):
            value, counted_at = memo("counts", at=now(), compute=self.count)
        self.assertEqual(value, 2)
        self.assertLess(counted_at, now())

    def test_it_recounts_after_a_minute(self) -> None:
        memo("counts", at=now(), compute=self.count)
        with override_settings(CLOCK_OFFSET=61):
            value, _ = memo("counts", at=now(), compute=self.count)
        self.assertEqual(value, 2)

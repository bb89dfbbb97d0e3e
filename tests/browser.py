"""Debian's Chromium driven by Playwright for Python, for the page tests.

Playwright is told to use ``/usr/bin/chromium`` (the ``chromium`` package that ``.ci/run``
installs); it never downloads a browser of its own. Without that binary the tests skip.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Request, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
#: Where the tests leave screenshots for review (ignored by git; docs/screenshots/ has copies).
SCREENSHOTS = ROOT / "var" / "screenshots"


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Debian Chromium, or skip the test when it is not installed."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium (for the page tests)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield browser
        finally:
            browser.close()


class Logged:
    """A browser context that keeps the URL of every request its pages make."""

    def __init__(self, browser: Browser, width: int = 1280, javascript: bool = True) -> None:
        self.context: BrowserContext = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        self.requested: list[str] = []
        self.context.on("request", self._log)

    def _log(self, request: Request) -> None:
        self.requested.append(request.url)

    def close(self) -> None:
        self.context.close()

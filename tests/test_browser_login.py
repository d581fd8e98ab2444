"""In a real browser: the demo editor signs in and sees the desk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_demo_editor_signs_in_and_sees_the_desk(live_server, page):
    result = live_server.app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    credentials = json.loads(
        (Path(live_server.app.instance_path) / "demo-credentials.json").read_text()
    )

    page.goto(f"{live_server.url}/desk/")
    assert "/login" in page.url
    page.get_by_label("Email").fill("editor@example.org")
    page.get_by_label("Password").fill(credentials["editor@example.org"])
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/desk/")
    assert page.get_by_role("heading", name="Desk").is_visible()
    assert "Erik Editor" in page.content()

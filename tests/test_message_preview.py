"""Previewing a message from the weekly screen: `M` (or the palette) lists the messages of the
week and a post-incident review per recent P0; the preview shows the document as written,
ctrl+r redacts it and ctrl+s writes it to a file of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, TextArea

from opstui.data.repository import Repository
from opstui.data.sample import DEMO_WEEK
from opstui.modals.export_preview import ExportPreview
from opstui.modals.picker import Picker
from tests.app_harness import SIZE, demo_app, settle

GOLDEN = Path(__file__).parent / "golden"


async def test_the_executive_summary_is_previewed_redacted_and_written(
    demo_repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, Picker)
        labels = [str(option.prompt) for option in picker.query_one(OptionList).options]
        assert labels[:6] == [
            "Weekly review",
            "Pre-read",
            "Executive summary",
            "Action items",
            "Friday update",
            "Post-incident review — #630 Webhook retry fails for accounts with more than "
            "1,000 rows",
        ]
        await pilot.press(*"executive", "enter")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ExportPreview)
        text = preview.query_one(TextArea).text
        assert text.encode("utf-8") == (GOLDEN / f"demo-{DEMO_WEEK}-summary.md").read_bytes()
        assert "Harbor &amp; Pine" in text
        await pilot.press("ctrl+r")
        await pilot.pause()
        redacted = preview.query_one(TextArea).text
        assert "Harbor" not in redacted and "Customer 7" in redacted
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExportPreview)
    written = (tmp_path / f"opstui-{DEMO_WEEK}-summary.md").read_text(encoding="utf-8")
    assert written == redacted


async def test_a_post_incident_review_is_one_pick_away(
    demo_repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        await pilot.press(*"630", "enter")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ExportPreview)
        text = preview.query_one(TextArea).text
        assert text.startswith("# Post-incident review — \\#630\n")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert (tmp_path / "opstui-postmortem-630.md").is_file()


async def test_the_palette_reaches_the_messages(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Messages")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Picker)

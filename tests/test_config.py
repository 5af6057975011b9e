"""The user's config.toml: defaults when there is none, `OPSTUI_CONFIG` to point elsewhere,
one-line errors that name the bad key, and saving what was changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opstui.data.config import (
    CONFIG_ENV,
    Config,
    ConfigError,
    config_path,
    load_config,
    save_config,
)
from opstui.domain.settings import BugTargets, HealthModel, HealthWeights


def test_without_a_config_file_every_setting_has_its_default(tmp_path: Path) -> None:
    config = load_config(tmp_path / "config.toml")

    assert config == Config()
    assert config.theme == "textual-dark"
    assert config.targets == BugTargets(p0_max=0, p1_below=15, p2_below=15)
    assert config.health == HealthModel()
    assert config.keymap == {}
    assert list(tmp_path.iterdir()) == []


def test_opstui_config_points_at_another_file_which_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team" / "opstui.toml"
    path.parent.mkdir()
    path.write_text('theme = "opstui-projector"\n\n[targets]\np1_below = 10\n', encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(path))

    config = load_config()

    assert config_path() == path
    assert config.theme == "opstui-projector"
    assert config.targets.p1_below == 10
    assert config.targets.p2_below == 15


def test_opstui_config_naming_a_missing_file_gives_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "nowhere.toml"))

    assert load_config() == Config()


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        pytest.param('[targets]\np1_below = "x"\n', "targets.p1_below", id="text-for-a-number"),
        pytest.param("[targets]\np1_bellow = 10\n", "targets.p1_bellow", id="misspelt-key"),
        pytest.param('colour = "red"\n', "colour", id="unknown-top-level-key"),
        pytest.param("[health.weights]\nnps = -5\n", "health.weights.nps", id="negative-weight"),
        pytest.param('theme = ""\n', "theme", id="empty-theme"),
    ],
)
def test_a_bad_value_is_refused_with_one_line_naming_the_key(
    tmp_path: Path, toml: str, key: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml, encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {key}: ")


def test_health_bands_in_the_wrong_order_are_refused_under_health(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[health]\nred_below = 90\ngreen_from = 60\n", encoding="utf-8")

    with pytest.raises(ConfigError, match="red_below must not be above green_from") as caught:
        load_config(path)

    assert str(caught.value).startswith(f"{path}: health: ")


def test_a_file_that_is_not_toml_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[targets\np1_below = 10\n", encoding="utf-8")

    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_config(path)

    assert "\n" not in str(caught.value)


def test_a_config_that_is_a_folder_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()

    with pytest.raises(ConfigError, match="cannot read") as caught:
        load_config(path)

    assert "\n" not in str(caught.value)


def test_saving_then_loading_gives_back_the_same_settings(tmp_path: Path) -> None:
    config = Config(
        theme="opstui-light",
        targets=BugTargets(p1_below=10, p3_below=30, resolution_window_days=60),
        health=HealthModel(weights=HealthWeights(nps=40, renewal=0), red_below=40, green_from=80),
        keymap={"bugs.priority_0": "0,!", "portfolio.filter": "f,/"},
    )
    path = tmp_path / "nested" / "config.toml"

    written = save_config(config, path)

    assert written == path
    assert load_config(path) == config
    assert [entry.name for entry in path.parent.iterdir()] == ["config.toml"]


def test_saving_writes_only_what_differs_from_the_defaults(tmp_path: Path) -> None:
    path = save_config(Config(targets=BugTargets(p1_below=12)), tmp_path / "config.toml")

    assert path.read_text(encoding="utf-8") == "[targets]\np1_below = 12\n"


def test_saving_without_a_path_writes_where_opstui_config_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "opstui.toml"
    monkeypatch.setenv(CONFIG_ENV, str(path))

    save_config(Config(theme="opstui-projector"))

    assert path.is_file()
    assert load_config().theme == "opstui-projector"

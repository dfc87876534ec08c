from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, check=False, timeout=120)


def prod_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "k" * 20 + "-production-secret-from-the-environment-0123456789",
        "FIELD_ENCRYPTION_KEYS": "2kD9wq2Dpo2oQm8m0cW7mK4T2u5qjX7xFq4J0X3s7b8=",
        "ALLOWED_HOSTS": "lianmeng.example.gov.cn",
        "DATABASE_URL": "sqlite:///var/deploycheck.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    })
    return env


def test_check_deploy_passes_under_production_settings() -> None:
    result = _run("check", "--deploy", "--fail-level", "WARNING", env=prod_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_a_missing_secret() -> None:
    env = prod_env()
    env["SECRET_KEY"] = ""
    result = _run("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("module", ["config.settings.base", "config.settings.dev"])
def test_persistent_connections_on(module: str) -> None:
    import importlib

    settings_module = importlib.import_module(module)
    assert settings_module.DATABASES["default"]["CONN_MAX_AGE"] >= 60


def test_no_remote_assets_in_templates() -> None:
    offenders = []
    for path in list(ROOT.glob("*/templates/**/*.html")) + list(ROOT.glob("templates/**/*.html")):
        text = path.read_text()
        if "http://" in text or "https://" in text or "//cdn" in text:
            offenders.append(str(path))
    assert offenders == []

import os
import secrets
import subprocess
import sys

import pytest


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "netlearn.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "netlearn", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_the_embedded_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "netlearn.config.settings.production"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "netlearn", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_health_check_answers_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_a_bucket_setting_puts_media_in_s3_compatible_storage(tmp_path):
    """AWS_STORAGE_BUCKET_NAME switches MEDIA to django-storages' S3 backend (the `s3` extra,
    deploy/Dockerfile); the health check then leaves storage to the provider."""
    pytest.importorskip("storages")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "netlearn.config.settings.base",
        "NETLEARN_HOME": str(tmp_path),
        "AWS_STORAGE_BUCKET_NAME": "netlearn-media",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    env.pop("DATABASE_URL", None)
    script = (
        "from django.core.files.storage import storages\n"
        "from netlearn.web import health\n"
        "media = storages['default']\n"
        "print(type(media).__name__, media.bucket_name,"
        " health.check_storage())\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "netlearn", "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["S3Storage", "netlearn-media", "skipped"]

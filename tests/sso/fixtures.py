"""The single sign-on tests' provider: tests/sso/oidc_provider.py started as its own process on a
free port, once per test process, and configured as the provider "school-idp" for each test
that asks for `sso`.

    def test_…(sso, client):
        response = sso.sign_in(client, sub="1", email="kim@birch.sch.uk", email_verified=True)
"""

import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "school-idp"
CLIENT_ID, CLIENT_SECRET = "netlearn-tests", "a-secret-for-the-tests-only"
CALLBACK = f"http://testserver/accounts/sso/oidc/{PROVIDER_ID}/login/callback/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider():
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.sso.oidc_provider",
            str(port),
            CLIENT_ID,
            CLIENT_SECRET,
            CALLBACK,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready", "the test provider did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


class Provider:
    def __init__(self, url: str):
        self.url = url

    def next_user(self, **claims) -> None:
        requests.post(f"{self.url}/test/next-user", json=claims, timeout=10).raise_for_status()

    def start(self, client, *, process: str = "login"):
        """Presses the sign-in button: the answer sends the browser to the provider."""
        url = reverse("openid_connect_login", args=[PROVIDER_ID])
        response = client.post(url, {"process": process})
        assert response.status_code == 302, response.content[:500]
        assert response.url.startswith(self.url), response.url
        return response

    def sign_in(self, client, *, process: str = "login", **claims):
        """The whole round trip, as a browser makes it: our button, the provider's authorization
        endpoint (which approves `claims` at once), and back to our callback."""
        self.next_user(**claims)
        to_provider = self.start(client, process=process)
        back = requests.get(to_provider.url, allow_redirects=False, timeout=10)
        assert back.status_code == 302, back.text[:500]
        callback = urlsplit(back.headers["Location"])
        assert f"{callback.scheme}://{callback.netloc}{callback.path}" == CALLBACK
        return client.get(f"{callback.path}?{callback.query}")


@pytest.fixture
def sso(settings, oidc_provider):
    provider = {
        "id": PROVIDER_ID,
        "name": "School IdP",
        "client_id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "server_url": oidc_provider,
    }
    settings.SSO_PROVIDERS = [provider]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": provider["name"],
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": oidc_provider},
                }
            ],
        }
    }
    return Provider(oidc_provider)

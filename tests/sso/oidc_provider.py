"""A small OpenID Connect provider for the single sign-on tests, run as its own process.

Built on Authlib's authorization server (the authorization code grant, PKCE and the OpenID
Connect extension, all Authlib's): this module only supplies storage in memory, one registered
client, a signing key and a WSGI front. The tests say who signs in next (POST /test/next-user
with the claims); the authorization endpoint then approves at once, as a provider would once its
user has signed in.

    python -m tests.sso.oidc_provider PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
"""

import json
import os
import secrets
import sys
import time
import warnings
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, make_server

# Plain http on 127.0.0.1, for the tests only.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
warnings.filterwarnings("ignore", module="authlib")

from authlib.oauth2 import AuthorizationServer  # noqa: E402
from authlib.oauth2.rfc6749 import (  # noqa: E402
    AuthorizationCodeMixin,
    ClientMixin,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant  # noqa: E402
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload  # noqa: E402
from authlib.oauth2.rfc6750 import BearerTokenGenerator  # noqa: E402
from authlib.oauth2.rfc7636 import CodeChallenge  # noqa: E402
from authlib.oidc.core import OpenIDCode, UserInfo  # noqa: E402
from joserfc.jwk import RSAKey  # noqa: E402

KEY = RSAKey.generate_key(2048, parameters={"kid": "netlearn-test", "use": "sig"}, private=True)


class Client(ClientMixin):
    def __init__(self, client_id, secret, redirect_uri):
        self.client_id, self.secret, self.redirect_uri = client_id, secret, redirect_uri

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uri

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in {"openid", "profile", "email"})

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


class Code(AuthorizationCodeMixin):
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None

    def get_code_challenge(self):
        return self.code_challenge

    def get_code_challenge_method(self):
        return self.code_challenge_method


class State:
    client: Client
    issuer: str = ""
    next_user: dict = {}
    codes: dict = {}
    tokens: dict = {}


class Grant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        State.codes[code] = Code(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=data.get("redirect_uri"),
            scope=data.get("scope", ""),
            nonce=data.get("nonce"),
            auth_time=int(time.time()),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
            user=request.user,
        )

    def query_authorization_code(self, code, client):
        found = State.codes.get(code)
        if found and found.client_id == client.client_id:
            return found
        return None

    def delete_authorization_code(self, authorization_code):
        State.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class IdToken(OpenIDCode):
    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in State.codes.values())

    def resolve_client_private_key(self, client):
        return KEY

    def get_client_algorithm(self, client):
        return "RS256"

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": "netlearn-test"}

    def get_client_claims(self, client):
        return {"iss": State.issuer, "aud": [client.get_client_id()]}

    def generate_user_info(self, user, scope):
        return user_info(user)


def user_info(user: dict) -> UserInfo:
    return UserInfo({key: value for key, value in user.items() if value is not None})


class Request(OAuth2Request):
    def __init__(self, method, uri, headers, *, query: dict, form: dict):
        super().__init__(method, uri, headers=headers)
        self._query, self._form = query, form
        self.payload = BasicOAuth2Payload({**query, **form})

    @property
    def args(self):
        return self._query

    @property
    def form(self):
        return self._form


class Server(AuthorizationServer):
    def query_client(self, client_id):
        return State.client if client_id == State.client.client_id else None

    def save_token(self, token, request):
        State.tokens[token["access_token"]] = request.user

    def send_signal(self, name, *args, **kwargs):
        pass

    def create_oauth2_request(self, request):
        environ = request
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        body = {}
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        uri = f"{State.issuer}{environ.get('PATH_INFO', '')}"
        if environ.get("QUERY_STRING"):
            uri += "?" + environ["QUERY_STRING"]
        return Request(environ["REQUEST_METHOD"], uri, headers, query=query, form=body)

    def create_json_request(self, request):
        raise NotImplementedError

    def handle_response(self, status, body, headers):
        return status, body, headers


SERVER = Server()
SERVER.register_token_generator(
    "default", BearerTokenGenerator(lambda *args, **kw: secrets.token_urlsafe(32))
)
SERVER.register_grant(Grant, [CodeChallenge(required=False), IdToken(require_nonce=False)])


def _answer(start_response, status, body, headers=()):
    headers = list(headers)
    if isinstance(body, dict | list):
        body = json.dumps(body)
        headers.append(("Content-Type", "application/json"))
    payload = (body or "").encode()
    reasons = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
    start_response(f"{status} {reasons.get(status, 'Error')}", headers)
    return [payload]


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/.well-known/openid-configuration":
        return _answer(
            start_response,
            200,
            {
                "issuer": State.issuer,
                "authorization_endpoint": f"{State.issuer}/authorize",
                "token_endpoint": f"{State.issuer}/token",
                "userinfo_endpoint": f"{State.issuer}/userinfo",
                "jwks_uri": f"{State.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
                "code_challenge_methods_supported": ["S256"],
            },
        )
    if path == "/jwks":
        return _answer(start_response, 200, {"keys": [KEY.as_dict(private=False)]})
    if path == "/test/next-user":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        State.next_user = json.loads(environ["wsgi.input"].read(length))
        return _answer(start_response, 200, {"ok": True})
    if path == "/authorize":
        user = dict(State.next_user)
        return _answer(start_response, *SERVER.create_authorization_response(environ, user))
    if path == "/token":
        return _answer(start_response, *SERVER.create_token_response(environ))
    if path == "/userinfo":
        bearer = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
        user = State.tokens.get(bearer)
        if user is None:
            return _answer(start_response, 401, {"error": "invalid_token"})
        return _answer(start_response, 200, dict(user_info(user)))
    return _answer(start_response, 404, {"error": "not_found"})


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(argv):
    port, client_id, secret, redirect_uri = argv
    State.issuer = f"http://127.0.0.1:{port}"
    State.client = Client(client_id, secret, redirect_uri)
    with make_server("127.0.0.1", int(port), app, handler_class=QuietHandler) as server:
        print("ready", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])

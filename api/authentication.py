"""`Authorization: Bearer <token>`: a personal access token, looked up by its hash."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .selectors import access_token_for_secret
from .services.tokens import access_token_mark_used

SECRET_MAX_LENGTH = 200  # ours are 43 characters; anything far longer is not one of ours


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A request with a Bearer token is that token's owner's (`request.auth` is the AccessToken); a request
    without one falls through to the session. A token unknown, revoked, or of a deactivated person is a 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2 or len(header[1]) > SECRET_MAX_LENGTH:
            raise exceptions.AuthenticationFailed("Send the token as `Authorization: Bearer <token>`, with no spaces in it.")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("That is not a token of this site.") from exc
        token = access_token_for_secret(secret=secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("That token is unknown or revoked: make a new one on your profile.")
        access_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated request a 401 with this challenge, rather than a 403.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http", "scheme": "bearer",
            "description": "A personal access token made on your profile page; a read token can not change anything.",
        }

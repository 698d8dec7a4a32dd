"""Logging in, checking the credential, and checking the server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import umami_core as core
from umami._base import ClientBase, async_twin
from umami_core import Config

if TYPE_CHECKING:
    from umami_core.models import LoginResponse


class Authenticating(ClientBase):
    def _keep_token(self, result: LoginResponse, issued_by: Config) -> LoginResponse:
        # The token is kept for the server that issued it: sent to no other url_base set later.
        with self._lock:
            self._config = self._config.with_token(result.token, issued_by)
        return result

    def set_api_key(self, key: str) -> None:
        """Use a self-hosted API key (Umami 3.4 and later) instead of login().

        The key (``umami_...``, made in Umami's settings or with ``call('createMyApiKey', ...)``)
        is sent as ``Authorization: Bearer <key>`` to the server set with set_url_base(), and to no
        other (after set_url_base() to another server it is not sent there). The server refuses
        some operations to API keys (managing users, passwords...): those fail with an APIError
        that says so. For Umami Cloud use set_cloud_api_key().

        Args:
            key: The API key.

        Raises:
            OperationNotAllowedError: If no URL base is set, or Cloud mode is on.
            ValidationError: If the key is empty or holds spaces, control or non-ASCII characters
                (the key is never quoted in the message).

        Example:
            ```python
            umami.set_url_base('https://umami.example.com')
            umami.set_api_key(os.environ['UMAMI_API_KEY'])
            ```
        """
        with self._lock:
            self._config = self._config.with_api_key(key)

    def login(self, username: str, password: str, *, two_factor_code: str | None = None) -> LoginResponse:
        """Log into a self-hosted Umami instance and keep the auth token for later data calls.

        Umami 3.x tokens do not expire by themselves; verify_token() tells whether one still works.
        The token belongs to the server that issued it: after set_url_base() to another server
        it is not sent there, and is_logged_in() is False until you log in there.

        Args:
            username: Your Umami username.
            password: Your Umami password.
            two_factor_code: For an account with two-factor authentication (newer servers): the
                code its authenticator app shows now. The login then completes in two requests
                (the password, then the code with the partial token the server answered).

        Returns:
            A models.LoginResponse with the token and the user's details; the token is kept
            internally, so you do not need to store it.

        Raises:
            OperationNotAllowedError: If Cloud mode is active, or if set_url_base() has not been called.
            ValidationError: If username or password is empty or not a string, or cannot be
                encoded as UTF-8 (an unpaired surrogate; the message never quotes the password), or
                the username holds a NUL character.
            TwoFactorRequiredError: If the account has two-factor authentication enabled and no
                ``two_factor_code`` was given. A wrong code is an ``APIError`` (401).
            httpx.HTTPStatusError: If the server returns a non-2xx response, e.g. on invalid
                credentials (it is also an ``umami.errors.APIError``).

        Example:
            ```python
            umami.set_url_base('https://umami.example.com')
            umami.login('admin', 'super-secret')
            ```
        """
        config = self._config
        return self._keep_token(self._run(core.login(config, username, password, two_factor_code)), config)

    @async_twin(login)
    async def login_async(self, username: str, password: str, *, two_factor_code: str | None = None) -> LoginResponse:
        config = self._config
        return self._keep_token(await self._arun(core.login(config, username, password, two_factor_code)), config)

    def verify_token(self, check_server: bool = True) -> bool:
        """Verify that the stored credential (login token or Cloud API key) is still valid.

        Never raises: any error (network failure, missing credential, rejected token, non-2xx
        response) results in False; the reason is logged on the ``umami`` logger.

        Args:
            check_server: If True (default), ask the server: self-hosted posts to
                /api/auth/verify, Cloud mode fetches /me. If False, only check locally (like
                is_logged_in()), with no network request.

        Returns:
            True if the credential is valid (or, when check_server is False, simply present).
        """
        return self._run(core.verify_token(self._config, check_server))

    @async_twin(verify_token)
    async def verify_token_async(self, check_server: bool = True) -> bool:
        return await self._arun(core.verify_token(self._config, check_server))

    def heartbeat(self) -> bool:
        """Check whether the configured Umami server is reachable and healthy.

        Self-hosted: GET {url_base}/api/heartbeat. Cloud mode has no heartbeat endpoint, so an
        authenticated GET on /me is the liveness check. Never raises.

        Returns:
            True if the server responded successfully; False on any error, including when no url
            base or Cloud API key has been configured.

        Example:
            ```python
            if not umami.heartbeat():
                print('Umami is unavailable')
            ```
        """
        return self._run(core.heartbeat(self._config))

    @async_twin(heartbeat)
    async def heartbeat_async(self) -> bool:
        return await self._arun(core.heartbeat(self._config))

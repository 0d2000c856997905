"""The development mail backend: one readable .eml file per message under var/mail/."""

import os
import uuid

from django.core.mail.backends import filebased
from django.utils import timezone


class OneFilePerMessageBackend(filebased.EmailBackend):
    """Django's file backend writes a whole connection's messages into one file; a newcomer wants one each."""

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            self._fname = None
            sent += super().send_messages([message])
        return sent

    def _get_filename(self) -> str:
        if self._fname is None:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            self._fname = os.path.join(self.file_path, name)
        return self._fname

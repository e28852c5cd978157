"""Invitations and reminders sent by email (issue 16; docs/mail.md).

- :mod:`.compose`: a message's subject and plain-text body, in English, Welsh or both;
- :mod:`.senders`: SMTP and GOV.UK Notify, each reporting sent, temporary or
  permanent failure with a reason that never holds the link;
- :mod:`.links`: each emailed link's token derived from a stored random seed, so a
  reminder carries the same link;
- :mod:`.runner`: the background job that sends, throttled and retried;
- :mod:`.trail`: audit rows written in batches with the messages' states.

The pages call :mod:`assessment.services.mail` (addresses, preview, starting a job).

This file imports nothing, so importing one module does not pull in the rest.
"""

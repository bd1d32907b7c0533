"""Evidence: capture with hashes, chain of custody, export packages."""

from frontstage.cases.models import Case
from frontstage.lib.actors import Actor


def capture_report_evidence(*, case: Case, report: object, by: Actor) -> None:
    """Keep the report's text and attachments as evidence items of `case`."""

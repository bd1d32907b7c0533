"""A transparency report as PDF (WeasyPrint), charts embedded as SVG, Chinese in Noto Sans CJK.

Nothing is fetched: the HTML carries its styles and charts inline, and WeasyPrint is given no
base URL, so a report renders the same on a closed network."""

from django.template.loader import render_to_string
from PIL import ImageFile

from frontstage.publish.models import TransparencyReport
from frontstage.publish.report_page import report_context


def render_pdf(report: TransparencyReport) -> bytes:
    """The report in the active language as PDF bytes."""
    # Imported here: WeasyPrint loads pango at import, which only PDF builds need.
    from weasyprint import HTML

    # WeasyPrint turns on Pillow's "load truncated images" for the whole process when imported;
    # intake must go on refusing damaged screenshots, and our reports embed no bitmaps.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    html = render_to_string("publish/transparency/pdf.html", report_context(report))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf

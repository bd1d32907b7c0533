import io
import struct
import time
import zipfile
import zlib
from unittest import mock

from django.test import SimpleTestCase
from django.utils import translation
from PIL import Image, ImageCms, PngImagePlugin

from frontstage.intake.attachments import MAX_BYTES, AttachmentRefused, CleanImage, clean_image

GPS = 0x8825
ORIENTATION = 0x0112


def encoded(image: Image.Image, image_format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def screenshot(size=(1170, 2532), mode="RGB") -> Image.Image:
    """A phone-sized image with some detail, so that encoders have work to do."""
    image = Image.new(mode, size, "white")
    image.paste(Image.linear_gradient("L").resize((size[0], 200)).convert(mode), (0, 300))
    return image


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMakerCo"  # Make
    exif[GPS] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    return exif


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def png_declaring(width: int, height: int) -> bytes:
    """A 60-byte PNG whose header claims `width` × `height` one-bit pixels."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + png_chunk(b"IEND", b"")
    )


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.js", "alert(document.cookie)")
    return buffer.getvalue()


def refusal(data: bytes, filename: str = "") -> str:
    try:
        image = clean_image(data, filename=filename)
    except AttachmentRefused as error:
        return str(error)
    raise AssertionError(f"{filename or 'the file'} was accepted as {image.content_type}")


def reopened(image: CleanImage) -> Image.Image:
    return Image.open(io.BytesIO(image.content))


class CleaningScreenshots(SimpleTestCase):
    def test_it_passes_a_screenshot_with_its_size_and_both_hashes(self):
        data = encoded(screenshot(), "PNG")
        image = clean_image(data, filename="Screenshot_2026-11-27.png")
        self.assertEqual((image.width, image.height), (1170, 2532))
        self.assertEqual(reopened(image).size, (1170, 2532))
        self.assertEqual(image.content_type, "image/jpeg")  # no alpha, no palette
        self.assertEqual(reopened(image).format, "JPEG")
        self.assertEqual(len(image.sha256), 64)
        self.assertNotEqual(image.sha256, image.original_sha256)

    def test_it_strips_gps_and_camera_exif_from_a_jpeg(self):
        data = encoded(screenshot((400, 300)), "JPEG", exif=gps_exif())
        self.assertIn(b"PhoneMakerCo", data)
        image = clean_image(data)
        self.assertNotIn(b"PhoneMakerCo", image.content)
        self.assertNotIn(b"Exif", image.content)
        self.assertEqual(dict(reopened(image).getexif()), {})

    def test_it_strips_exif_text_and_colour_profiles_from_a_png(self):
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "taken at home")
        text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
        icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        source = screenshot((300, 200), "RGBA")
        data = encoded(source, "PNG", exif=gps_exif(), pnginfo=text, icc_profile=icc)
        image = clean_image(data)
        self.assertEqual(image.content_type, "image/png")  # alpha kept
        for chunk in (b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"iCCP"):
            self.assertNotIn(chunk, image.content)
        self.assertEqual(dict(reopened(image).getexif()), {})
        self.assertEqual(reopened(image).getpixel((10, 10)), source.getpixel((10, 10)))

    def test_it_turns_a_photo_upright_before_dropping_its_orientation(self):
        exif = Image.Exif()
        exif[ORIENTATION] = 6  # rotated 90° clockwise
        image = clean_image(encoded(screenshot((40, 20)), "JPEG", exif=exif))
        self.assertEqual((image.width, image.height), (20, 40))
        self.assertNotIn(ORIENTATION, reopened(image).getexif())

    def test_it_keeps_a_palette_image_as_png(self):
        data = encoded(screenshot((64, 64)).convert("P"), "GIF")
        image = clean_image(data)
        self.assertEqual((image.content_type, reopened(image).mode), ("image/png", "P"))

    def test_it_keeps_the_first_frame_of_an_animated_gif(self):
        frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "blue", "green")]
        data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
        image = clean_image(data)
        self.assertEqual(image.content_type, "image/png")
        self.assertEqual(reopened(image).convert("RGB").getpixel((5, 5)), (255, 0, 0))

    def test_it_reads_webp_and_writes_jpeg(self):
        image = clean_image(encoded(screenshot((120, 80)), "WEBP"))
        self.assertEqual((image.content_type, image.width, image.height), ("image/jpeg", 120, 80))

    def test_it_accepts_the_extra_pictures_phones_append_to_a_jpeg(self):
        gain_map = encoded(Image.new("L", (20, 10)), "JPEG")
        image = clean_image(encoded(screenshot((40, 20)), "JPEG") + gain_map)
        self.assertEqual((image.width, image.height), (40, 20))


class RefusingFiles(SimpleTestCase):
    def test_it_refuses_a_fifty_megabyte_upload_at_once(self):
        data = b"\x89PNG\r\n\x1a\n" + bytes(50 * 2**20)
        started = time.monotonic()
        message = refusal(data, "huge.png")
        self.assertLess(time.monotonic() - started, 0.5)
        self.assertIn("“huge.png” is 50.0 MB", message)
        self.assertIn(f"{MAX_BYTES // 2**20} MB", message)

    def test_it_refuses_a_text_file_renamed_png(self):
        message = refusal(b"Dear sir, please find attached...", "evidence.png")
        self.assertIn("“evidence.png” is not a PNG, JPEG, WebP or GIF image", message)

    def test_it_refuses_formats_it_does_not_read(self):
        self.assertIn("is not a PNG", refusal(encoded(screenshot((20, 20)), "BMP"), "a.bmp"))
        self.assertIn("This file is not a PNG", refusal(b""))

    def test_it_refuses_a_small_png_declaring_huge_dimensions(self):
        data = png_declaring(100_000, 100_000)
        self.assertLess(len(data), 100)
        self.assertIn("100000 × 100000 pixels", refusal(data))

    def test_it_refuses_a_real_bilevel_image_over_the_pixel_limit(self):
        data = encoded(Image.new("1", (10_000, 5_000)), "PNG")
        self.assertLess(len(data), 100_000)
        self.assertIn("the limit is 40 megapixels", refusal(data))

    def test_it_refuses_a_png_with_a_zip_archive_appended(self):
        data = encoded(screenshot((50, 50)), "PNG") + zip_archive()
        self.assertIn("hidden after the end of the image", refusal(data, "polyglot.png"))

    def test_it_refuses_images_with_html_or_data_appended(self):
        html = b"<html><script>alert(1)</script></html>"
        for image_format in ("PNG", "JPEG", "GIF", "WEBP"):
            with self.subTest(image_format=image_format):
                data = encoded(screenshot((50, 50)), image_format) + html
                self.assertIn("hidden after the end", refusal(data))

    def test_it_refuses_html_or_a_zip_archive_with_an_image_appended(self):
        image = encoded(screenshot((50, 50)), "PNG")
        self.assertIn("is not a PNG", refusal(b"<html><body>hi</body></html>" + image))
        self.assertIn("is not a PNG", refusal(zip_archive() + image))

    def test_it_refuses_truncated_images(self):
        for image_format in ("PNG", "JPEG", "GIF", "WEBP"):
            with self.subTest(image_format=image_format):
                data = encoded(screenshot((200, 200)), image_format)
                self.assertIn("damaged or incomplete", refusal(data[: len(data) // 2]))

    def test_it_refuses_a_png_whose_pixel_data_is_corrupt(self):
        data = bytearray(encoded(screenshot((50, 50)), "PNG"))
        start = data.index(b"IDAT") + 4
        data[start : start + 20] = bytes(20)
        self.assertIn("damaged or incomplete", refusal(bytes(data)))

    def test_it_still_refuses_a_corrupt_png_after_a_pdf_report_was_rendered(self):
        # WeasyPrint relaxes Pillow for the whole process when imported; the PDF builder undoes it.
        from frontstage.publish import pdf

        with (
            mock.patch.object(pdf, "report_context", return_value={}),
            mock.patch.object(pdf, "render_to_string", return_value="<p>x</p>"),
        ):
            pdf.render_pdf(mock.Mock())
        self.test_it_refuses_a_png_whose_pixel_data_is_corrupt()

    def test_it_tells_chinese_readers_what_is_wrong(self):
        with translation.override("zh-hans"):
            message = refusal(b"plain text", "shot.png")
        self.assertIn("“shot.png”不是 PNG、JPEG、WebP 或 GIF 图片", message)

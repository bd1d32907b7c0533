import os
import tempfile
from unittest import mock

from django.test import SimpleTestCase

from frontstage.settings import env, env_flag, env_list


class SettingsFromEnvironment(SimpleTestCase):
    """An operator configures Frontstage with variables or with files holding secrets."""

    def test_it_reads_a_secret_from_the_file_named_by_var_file(self) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as secret:
            secret.write("s3cret-from-file\n")
        try:
            with mock.patch.dict(os.environ, {"SECRET_KEY": "", "SECRET_KEY_FILE": secret.name}):
                self.assertEqual(env("SECRET_KEY"), "s3cret-from-file")
        finally:
            os.unlink(secret.name)

    def test_it_reads_plain_variables_lists_and_flags(self) -> None:
        values = {"ALLOWED_HOSTS": " a.example, b.example ,", "DEBUG": "yes", "X": "1"}
        with mock.patch.dict(os.environ, values):
            self.assertEqual(env_list("ALLOWED_HOSTS"), ["a.example", "b.example"])
            self.assertTrue(env_flag("DEBUG"))
            self.assertEqual(env("X"), "1")
            self.assertEqual(env("UNSET_FRONTSTAGE_VARIABLE", "default"), "default")

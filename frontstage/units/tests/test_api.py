from frontstage.test import Personas


class UnitsApi(Personas):
    def test_it_publishes_an_openapi_document(self) -> None:
        response = self.reporter().get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        spec = response.json()
        self.assertTrue(spec["openapi"].startswith("3.1"))
        self.assertIn("/api/v1/units", spec["paths"])
        self.assertIn("404", spec["paths"]["/api/v1/units/{slug}"]["get"]["responses"])

    def test_it_lists_the_units_with_their_channels(self) -> None:
        units = self.reporter().get("/api/v1/units").json()
        south = next(u for u in units if u["slug"] == "south")
        self.assertEqual(south["parent"], "national")
        self.assertEqual(south["region_codes"], ["CN-GD", "CN-GX"])
        self.assertEqual(south["channel_url"], "/u/south/")

    def test_it_says_which_unit_it_could_not_find(self) -> None:
        response = self.reporter().get("/api/v1/units/atlantis")
        self.assertEqual(response.status_code, 404)
        self.assertIn("atlantis", response.json()["detail"])

    def test_it_serves_the_api_docs_without_calling_out_to_a_cdn(self) -> None:
        response = self.reporter().get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("/static/ninja/", page)
        self.assertNotIn("cdn.", page)
        self.assertNotIn("https://", page.replace("https://swagger.io", ""))

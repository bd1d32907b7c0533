from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontstage.accounts.views import acting_staff
from frontstage.intake.actions import (
    IntakeError,
    issue_api_client,
    platform_identity,
    set_client_status,
)
from frontstage.intake.models import ApiClient
from frontstage.intake.quality import precision_of
from frontstage.units.admin_scope import UnitScopedAdmin


class ApiClientForm(forms.ModelForm):
    webhook_url = forms.URLField(
        label=gettext_lazy("Webhook URL for outcomes (optional)"),
        required=False,
        assume_scheme="https",
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address for orders, for a platform without a webhook"),
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for a status change"), required=False, max_length=500
    )
    platform = forms.SlugField(
        label=gettext_lazy("Platform code, for platforms (as in weibo:handle)"),
        required=False,
        max_length=40,
    )
    domains = forms.CharField(
        label=gettext_lazy("Domains the platform serves, comma-separated"),
        required=False,
        max_length=2000,
    )

    class Meta:
        model = ApiClient
        fields = ["name", "kind", "unit", "webhook_url", "email", "status"]

    def clean_domains(self) -> list[str]:
        return [d for d in self.cleaned_data.get("domains", "").split(",") if d.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        changed = self.instance.pk and data.get("status") != self.instance.status
        if changed and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason; it is recorded and told to the sender."))
        if not self.instance.pk and "kind" in data:
            try:
                platform_identity(data["kind"], data.get("platform", ""), data.get("domains", []))
            except IntakeError as error:
                self.add_error("domains", str(error))
        return data


@admin.register(ApiClient)
class ApiClientAdmin(UnitScopedAdmin):
    """Trusted flaggers and authorities: a token is shown once when the client is added;
    warn before suspending (DSA Art. 23)."""

    form = ApiClientForm
    list_display = ["name", "kind", "unit", "status", "token_hint", "precision"]
    list_filter = ["kind", "status"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> Any:
        # After issuing, only the status changes (through the audited action); a sender
        # with other details gets a new client and token.
        if obj is None:
            return []
        return ["name", "kind", "unit", "webhook_url", "email", "platform", "domains",
                "token_hint", "precision"]  # fmt: skip

    @admin.display(description=gettext_lazy("Precision (actioned / decided)"))
    def precision(self, client: ApiClient) -> str:
        figures = precision_of(client)
        share = "—" if figures.share is None else f"{figures.share:.0%}"
        return f"{share} ({figures.actioned}/{figures.decided}; {figures.unfounded} unfounded)"

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> Any:
        if obj is None:
            return ["name", "kind", "unit", "webhook_url", "email", "platform", "domains"]
        return [
            "name",
            "kind",
            "unit",
            "webhook_url",
            "email",
            "platform",
            "domains",
            "token_hint",
            "precision",
            "status",
            "reason",
        ]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        by = acting_staff(request)
        data = form.cleaned_data
        if not change:
            issued = issue_api_client(
                name=data["name"],
                kind=data["kind"],
                unit=data["unit"],
                webhook_url=data.get("webhook_url", ""),
                platform=data.get("platform", ""),
                domains=data.get("domains", []),
                email=data.get("email", ""),
                by=by,
            )
            obj.pk = issued.client.pk
            messages.warning(
                request,
                _("The token for %(name)s is shown only now; give it to them securely: %(token)s")
                % {"name": issued.client.name, "token": issued.token},
            )
            return
        before = ApiClient.objects.get(pk=obj.pk)
        if data["status"] != before.status:
            try:
                set_client_status(
                    client=before, status=data["status"], reason=data["reason"], by=by
                )
            except IntakeError as error:
                messages.error(request, str(error))

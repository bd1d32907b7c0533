"""ActivityPub: channel keys, followers, follows, received posts and queued deliveries.

Every change runs in one transaction with its audit event. Nothing here talks to the network
inside a transaction: `follow` reads the remote actor first; deliveries are rows that
`frontstage federation deliver` sends (frontstage.publish.delivery.deliver_due).
Changes that arrive through the inbox are made `by=PUBLIC`: a remote server is not staff.
"""

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.audit.actions import record
from frontstage.cases.actions.core import CaseError
from frontstage.lib.actors import PUBLIC, Actor
from frontstage.publish import activitypub as ap
from frontstage.publish import signatures
from frontstage.publish.delivery import RemoteError, fetch_actor, resolve_handle
from frontstage.publish.models import (
    ChannelKey,
    Delivery,
    Follower,
    Following,
    FollowState,
    Publication,
    PublicationStatus,
    ReceivedPost,
    RemoteActor,
)
from frontstage.units.models import Unit


class FederationError(CaseError):
    """A federation request or change that is refused; `status` is the HTTP answer the inbox
    gives a remote server, the message says what was wrong for people."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def channel_key(*, unit: Unit, by: Actor) -> ChannelKey:
    """The unit's signing key, made (RSA 2048) the first time anybody needs it."""
    existing = ChannelKey.objects.filter(unit=unit).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        # Two first requests at once: the second waits here and finds the first one's key.
        Unit.objects.select_for_update().get(pk=unit.pk)
        existing = ChannelKey.objects.filter(unit=unit).first()
        if existing is not None:
            return existing
        private_pem, public_pem = signatures.new_key_pair()
        key = ChannelKey.objects.create(
            unit=unit,
            private_key_pem=private_pem,
            public_key_pem=public_pem,
            created_at=timezone.now(),
        )
        record(by=by, action="federation.key_created", obj=key, unit=unit)
        return key


def queue_delivery(*, unit: Unit, inbox: str, activity: dict[str, Any]) -> Delivery:
    """A Delivery row due now; call inside the transaction of the change it tells of."""
    now = timezone.now()
    return Delivery.objects.create(
        unit=unit, inbox=inbox, activity=activity, next_attempt_at=now, created_at=now
    )


def announce(*, publication: Publication, by: Actor) -> None:
    """Queue the delivery of `publication` (a Create when published, a Delete when withdrawn)
    to every follower of its channel. Call inside the transaction that publishes or withdraws."""
    unit = publication.unit
    urls = ap.channel_urls(unit.slug)
    if publication.status == PublicationStatus.PUBLISHED:
        activity = ap.create(ap.post_of(publication), urls)
    elif publication.status == PublicationStatus.WITHDRAWN:
        activity = ap.delete(ap.post_url(publication), urls)
    else:
        return
    followers = Follower.objects.filter(unit=unit, state=FollowState.ACCEPTED)
    # One delivery per server that has a shared inbox, not one per follower on it.
    inboxes = sorted(
        {f.actor.shared_inbox or f.actor.inbox for f in followers.select_related("actor")}
    )
    with transaction.atomic():
        for inbox in inboxes:
            queue_delivery(unit=unit, inbox=inbox, activity=activity)
        record(
            by=by,
            action="federation.announced",
            obj=publication,
            unit=unit,
            payload={"type": activity["type"], "deliveries": len(inboxes)},
        )


def follow(*, unit: Unit, actor_uri: str, by: Actor) -> Following:
    """Ask the actor at `actor_uri` (a URL, or a handle like @name@example.org) to let the unit
    follow it: its document is read first (outside the transaction), then Following pending
    and a Follow queued to its inbox. Following again while waiting or after a Reject sends a
    new Follow."""
    address = actor_uri.strip()
    try:
        if address.startswith(("http://", "https://")):
            remote = fetch_actor(address)
        else:
            remote = fetch_actor(resolve_handle(address))
    except RemoteError as error:
        raise FederationError(
            _(
                "The actor at %(address)s could not be read (%(error)s). Check the address: "
                "a channel URL like https://example.org/u/name/actor or a handle like "
                "@name@example.org."
            )
            % {"address": address, "error": error}
        ) from error
    urls = ap.channel_urls(unit.slug)
    if remote.uri == urls.actor:
        raise FederationError(_("A channel cannot follow itself. Enter another channel's address."))
    with transaction.atomic():
        existing = Following.objects.select_for_update().filter(unit=unit, actor=remote).first()
        if existing is not None and existing.state == FollowState.ACCEPTED:
            raise FederationError(
                _("%(unit)s already follows %(actor)s.") % {"unit": unit, "actor": remote.uri}
            )
        follow_id = f"{urls.actor}#follows/{uuid.uuid4().hex}"
        following, _created = Following.objects.update_or_create(
            unit=unit,
            actor=remote,
            defaults={
                "follow_id": follow_id,
                "state": FollowState.PENDING,
                "since": timezone.now(),
            },
        )
        activity = ap.follow(follow_id=follow_id, urls=urls, target=remote.uri)
        queue_delivery(unit=unit, inbox=remote.inbox, activity=activity)
        record(
            by=by,
            action="federation.follow_sent",
            obj=following,
            unit=unit,
            payload={"actor": remote.uri},
        )
        return following


def receive(*, unit: Unit, signer: RemoteActor, activity: dict[str, Any]) -> str:
    """Act on an activity that arrived at the unit's inbox, signed by `signer` (checked by the
    caller to be the activity's actor). Returns what happened, for the audit log and tests;
    raises FederationError for anything we do not accept."""
    kind = activity.get("type")
    handlers = {
        "Follow": _follow_received,
        "Undo": _undo_received,
        "Accept": _answer_received,
        "Reject": _answer_received,
        "Create": _create_received,
    }
    handler = handlers.get(kind) if isinstance(kind, str) else None
    if handler is None:
        raise FederationError(
            _(
                "This inbox accepts Follow, Undo(Follow), Accept, Reject and Create only, "
                "not %(type)s."
            )
            % {"type": str(kind)[:40]}
        )
    with transaction.atomic():
        outcome, obj = handler(unit, signer, activity)
        record(
            by=PUBLIC,
            action=f"federation.{outcome}",
            obj=obj,
            unit=unit,
            payload={"actor": signer.uri, "activity": str(activity.get("id", ""))[:500]},
        )
    return outcome


def _follow_received(unit: Unit, signer: RemoteActor, activity: dict[str, Any]) -> tuple[str, Any]:
    urls = ap.channel_urls(unit.slug)
    if ap.object_id(activity.get("object")) != urls.actor:
        raise FederationError(_("This Follow is not addressed to this channel's actor."))
    follow_id = ap.object_id(activity)
    if not follow_id:
        raise FederationError(_("A Follow needs an id."))
    follower = Follower.objects.select_for_update().filter(unit=unit, actor=signer).first()
    now = timezone.now()
    if follower is None:
        follower = Follower(unit=unit, actor=signer)
    if follower.state != FollowState.ACCEPTED:
        follower.since = now
    follower.follow_id = follow_id[:500]
    follower.state = FollowState.ACCEPTED
    follower.ended_at = None
    follower.save()
    answer = ap.accept(
        accept_id=f"{urls.actor}#accepts/{uuid.uuid4().hex}", follow_activity=activity, urls=urls
    )
    queue_delivery(unit=unit, inbox=signer.inbox, activity=answer)
    return "follower_accepted", follower


def _undo_received(unit: Unit, signer: RemoteActor, activity: dict[str, Any]) -> tuple[str, Any]:
    inner = activity.get("object")
    if isinstance(inner, dict) and inner.get("type") not in {None, "Follow"}:
        raise FederationError(_("Only an Undo of a Follow is accepted."))
    follower = Follower.objects.select_for_update().filter(unit=unit, actor=signer).first()
    if follower is None or follower.state == FollowState.ENDED:
        return "follow_undone_already", follower
    follower.state = FollowState.ENDED
    follower.ended_at = timezone.now()
    follower.save()
    return "follower_ended", follower


def _answer_received(unit: Unit, signer: RemoteActor, activity: dict[str, Any]) -> tuple[str, Any]:
    follow_id = ap.object_id(activity.get("object"))
    following = (
        Following.objects.select_for_update()
        .filter(unit=unit, actor=signer, follow_id=follow_id or "")
        .first()
    )
    if following is None:
        raise FederationError(_("This channel sent no such Follow to you."))
    accepted = activity["type"] == "Accept"
    following.state = FollowState.ACCEPTED if accepted else FollowState.ENDED
    following.save()
    return ("following_accepted" if accepted else "following_rejected"), following


def _create_received(unit: Unit, signer: RemoteActor, activity: dict[str, Any]) -> tuple[str, Any]:
    post = activity.get("object")
    if not isinstance(post, dict) or post.get("type") not in {"Note", "Article"}:
        raise FederationError(_("Only a Create of a Note or an Article is accepted."))
    post_id = ap.object_id(post)
    if not post_id or not ap.same_origin(post_id, signer.uri):
        raise FederationError(_("The post's id must be on its author's server."))
    if post.get("attributedTo", signer.uri) != signer.uri:
        raise FederationError(_("The post must be written by the actor who sends it."), 403)
    follows = Following.objects.filter(unit=unit, actor=signer, state=FollowState.ACCEPTED)
    if not follows.exists():
        raise FederationError(_("This channel does not follow you."), 403)
    received, created = ReceivedPost.objects.get_or_create(
        unit=unit,
        object_id=post_id[:500],
        defaults={"actor": signer, "activity": activity, "received_at": timezone.now()},
    )
    return ("post_received" if created else "post_received_again"), received

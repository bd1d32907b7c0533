"""The publication models: channel posts, federation, transparency reports."""

from frontstage.publish.models.federation import (
    ChannelKey,
    Delivery,
    Follower,
    Following,
    FollowState,
    ReceivedPost,
    RemoteActor,
)
from frontstage.publish.models.posts import Publication, PublicationKind, PublicationStatus
from frontstage.publish.models.reports import StatementDelivery, TransparencyReport

__all__ = [
    "ChannelKey",
    "Delivery",
    "FollowState",
    "Follower",
    "Following",
    "Publication",
    "PublicationKind",
    "PublicationStatus",
    "ReceivedPost",
    "RemoteActor",
    "StatementDelivery",
    "TransparencyReport",
]

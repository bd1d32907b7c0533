"""`POST /api/v1/patrol/posts`: platforms push posts to the patrol with their source token."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from frontstage.intake.actions import token_digest
from frontstage.intake.api import ERRORS
from frontstage.patrol.engine import Post
from frontstage.patrol.models import PatrolSource, SourceKind
from frontstage.patrol.runner import patrol

router = Router(tags=["patrol"])


class SourceToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> PatrolSource | None:
        return PatrolSource.objects.filter(
            token_digest=token_digest(token), kind=SourceKind.PUSH, active=True
        ).first()


class PostIn(Schema):
    id: str = Field(min_length=1, max_length=200)
    text: str = Field("", max_length=20_000)
    urls: list[str] = Field(default_factory=list, max_length=20)
    lang: str | None = None
    author: str | None = Field(None, max_length=200)
    posted_at: datetime | None = None


class PostsIn(Schema):
    posts: list[PostIn] = Field(min_length=1, max_length=500)


class PatrolledOut(Schema):
    posts: int
    hits: int
    reports: int
    already_recorded: int


@router.post(
    "/patrol/posts",
    response={200: PatrolledOut, **ERRORS},
    auth=SourceToken(),
    summary="Push up to 500 posts to the patrol; a retry of the same posts records nothing twice",
)
def push_posts(request: HttpRequest, body: PostsIn) -> Status[Any]:
    source: PatrolSource = request.auth  # type: ignore[attr-defined]
    posts = [
        Post(
            id=item.id,
            text=item.text,
            urls=item.urls,
            lang=item.lang,
            source=source.name,
            author=item.author,
            posted_at=item.posted_at,
        )
        for item in body.posts
    ]
    count = patrol(posts, source=source.name, unit=source.unit)
    return Status(
        200,
        PatrolledOut(
            posts=count.posts,
            hits=count.hits,
            reports=count.reports,
            already_recorded=count.already_seen,
        ),
    )

"""The review service of an organisation's server: the same pages and metrics as on one PC, with the
sessions, their events and everything else in PostgreSQL and the recordings in the media store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamkit.hooks import process_plugins

from .config import ReviewConfig
from .mediastore import MediaStore, open_media_store
from .metrics import rate_per_minute
from .orgstore import OrgSession, OrgStore, require_session
from .service import SESSION_ID, BASELINE_SESSIONS, ReviewService, templates
from .sessiondata import ReviewSession, SessionCache, StoredSession
from .store import ReviewStore, User

MEDIA_FOLDER = "org-media"
STAGING_FOLDER = "org-uploads"


class OrgService(ReviewService):
    """:class:`ReviewService` over the organisation's database (``postgresql://…``) and media store."""

    def __init__(self, home: Path, config: ReviewConfig | None, database: str, media: MediaStore | None = None) -> None:
        self.home = home
        self.config = config or ReviewConfig()
        self.store = ReviewStore(database)
        self.org = OrgStore(self.store)
        cfg = self.config
        self.media = media or open_media_store(cfg.media, home / MEDIA_FOLDER, cfg.s3_endpoint, cfg.s3_region)
        self.staging = home / STAGING_FOLDER
        self.cache = SessionCache()
        self.env = templates()

    def close(self) -> None:
        self.store.close()

    # -- sessions ---------------------------------------------------------------------------
    def exists(self, session_id: str) -> bool:
        return bool(SESSION_ID.match(session_id)) and self.org.session(session_id) is not None

    def require(self, session_id: str) -> None:
        require_session(self.org, session_id)

    def session(self, session_id: str) -> ReviewSession:
        row = require_session(self.org, session_id)
        return self.cache.get(Path(session_id), lambda: self.stored(row), self.org.version(session_id))

    def stored(self, row: OrgSession) -> StoredSession:
        """What :func:`~.sessiondata.load_session` builds the pages from."""
        info = dict(row.info, id=row.id, name=row.name, started=row.started, ended=row.ended)
        media = None
        if row.media_key:
            media = self.media.local_path(row.media_key) or Path(row.media_key)
            info["media_path"] = str(media)
            if row.media_is_recording:
                info["recording_path"] = str(media)
        types = process_plugins().event_types()
        return StoredSession(info, [types.from_dict(d) for d in self.org.events(row.id)], media, row.media_seconds)

    def signature(self, session_id: str) -> tuple[Any, ...]:
        return self.org.version(session_id)

    def listing(self, user: User) -> list[dict[str, Any]]:
        rows = self.org.visible_sessions(user)
        counts = self.store.comment_counts([r.id for r in rows])
        return [{"id": r.id, "name": r.name, "started": r.started, "ended": r.ended, "live": r.live, "owner": r.owner,
                 "comments": counts.get(r.id, 0)} for r in rows]

    def other_rates(self, session_id: str, language: str) -> list[list[float]]:
        """The baseline: per-minute rates the metrics jobs stored for the streamer's other sessions."""
        owner = self.store.owner_of(session_id)
        if owner is None:
            return []
        others = [sid for sid in self.store.owned_sessions(owner) if sid != session_id]
        found = self.org.results_of("metrics", others)
        return [list(r["rates"]) for r in found.values()
                if r.get("language") == language and r.get("rates")][:BASELINE_SESSIONS]

    def rates_of(self, session: ReviewSession) -> dict[str, Any]:
        """What the metrics job keeps of a session for other sessions' baselines."""
        return {"language": session.language, "rates": rate_per_minute(session.lines, session.duration, session.language)}

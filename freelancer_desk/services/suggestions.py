"""Suggestions from the stored records: gather the facts, accept one, dismiss one for good.

The rules themselves are pure (``analytics.suggestions``). Accepting turns a suggestion into a
reminder due today or a planned feedback request; dismissing stores it in
``dismissed_suggestion`` so that the same occasion never comes back.

The news to tell chosen clients about ("I now also do X") is stored in the ``setting`` table
under ``suggestions.news`` as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from freelancer_desk.analytics.lifecycle import derive_status
from freelancer_desk.analytics.suggestions import (
    GOOD_TERMS_WINDOW_DAYS,
    ClientSituation,
    LossFacts,
    SkillNews,
    Suggestion,
    SuggestionFacts,
    suggest,
)
from freelancer_desk.contact_rules import permissions
from freelancer_desk.db import Database
from freelancer_desk.errors import NotFoundError
from freelancer_desk.i18n import N_, _
from freelancer_desk.models import (
    Client,
    DismissedSuggestion,
    FeedbackStatus,
    Interaction,
    InteractionKind,
    Loss,
    LossType,
    LoyaltyType,
    Reaction,
    Setting,
    WinbackAttempt,
    WinbackCase,
    input_error,
)
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.contact import all_subjects
from freelancer_desk.services.feedback import FeedbackRow
from freelancer_desk.services.losses import outcome_on
from freelancer_desk.services.reminders import ReminderRow

NEWS_KEY = "suggestions.news"


def _latest_losses(session: Session, as_of: dt.date) -> dict[int, LossFacts]:
    """The latest loss on or before ``as_of`` of every client that has one."""
    latest: dict[int, Loss] = {}
    for loss in session.exec(
        select(Loss).where(Loss.lost_on <= as_of).order_by(col(Loss.lost_on), col(Loss.id))
    ).all():
        latest[loss.client_id] = loss
    cases = {
        case.loss_id: case
        for case in session.exec(
            select(WinbackCase).where(
                col(WinbackCase.loss_id).in_([loss.id for loss in latest.values()])
            )
        ).all()
    }
    attempts: dict[int, list[WinbackAttempt]] = {}
    for attempt in session.exec(
        select(WinbackAttempt).where(
            col(WinbackAttempt.case_id).in_([c.id for c in cases.values()]),
            WinbackAttempt.date <= as_of,
        )
    ).all():
        attempts.setdefault(attempt.case_id, []).append(attempt)
    complaints: dict[int, list[dt.date]] = {}
    for client_id, day in session.exec(
        select(col(Interaction.client_id), col(Interaction.date)).where(
            col(Interaction.kind) == InteractionKind.COMPLAINT, col(Interaction.date) <= as_of
        )
    ).all():
        complaints.setdefault(client_id, []).append(day)
    facts = {}
    for client_id, loss in latest.items():
        case = cases.get(loss.id)  # type: ignore[arg-type]  # read from the table: the id is set
        tries = attempts.get(case.id, []) if case is not None else []  # type: ignore[arg-type]  # read from the table: the id is set
        window_start = loss.lost_on - dt.timedelta(days=GOOD_TERMS_WINDOW_DAYS)
        facts[client_id] = LossFacts(
            loss_id=loss.id,  # type: ignore[arg-type]  # read from the table: the id is set
            lost_on=loss.lost_on,
            loss_type=LossType(loss.loss_type),
            reason_code=loss.reason_code,
            objected=loss.objected,
            outcome=outcome_on(case.outcome, case.outcome_on, as_of) if case is not None else None,
            revisit_on=case.revisit_on if case is not None else None,
            last_attempt_on=max((a.date for a in tries), default=None),
            any_rude_reaction=any(a.reaction == Reaction.RUDE for a in tries),
            complaints_before=sum(
                window_start <= day <= loss.lost_on for day in complaints.get(client_id, [])
            ),
        )
    return facts


def gather(db: Database, as_of: dt.date) -> SuggestionFacts:
    """The facts the rules need, read in a handful of queries."""
    sleeping_days = settings_service.load(db).sleeping_days
    lifecycle = clients_service.client_facts(db, as_of)
    subjects = all_subjects(db)
    with db.session() as session:
        losses = _latest_losses(session, as_of)
        clients = [
            (client.id, client)
            for client in session.exec(select(Client)).all()
            if client.id is not None
        ]
        situations = tuple(
            ClientSituation(
                client_id=client_id,
                name=client.name,
                status=derive_status(lifecycle[client_id], as_of, sleeping_days),
                created_on=client.created_on,
                permissions=permissions(subjects[client_id], as_of),
                last_invoice=lifecycle[client_id].last_invoice,
                loyalty=LoyaltyType(client.loyalty) if client.loyalty else None,
                loss=losses.get(client_id),
            )
            for client_id, client in clients
        )
        dismissed = frozenset(
            (d.rule, d.client_id, d.ref) for d in session.exec(select(DismissedSuggestion)).all()
        )
        news = _news(session)
    # Reminders and requests as they stood on ``as_of``: a later one, or a later answer, was
    # not known then (DOMAIN.md §7).
    reminders = tuple(
        reminders_service.list_reminders(db, include_done=True, as_of=as_of, today=as_of)
    )
    requests = tuple(feedback_service.list_requests(db, today=as_of))
    return SuggestionFacts(as_of, situations, reminders, requests, dismissed, news)


def suggestions(db: Database, as_of: dt.date) -> list[Suggestion]:
    """What to do on ``as_of``, by rule then client."""
    return suggest(gather(db, as_of))


def _find(db: Database, key: tuple[str, int, str], as_of: dt.date) -> Suggestion:
    for suggestion in suggestions(db, as_of):
        if suggestion.key == tuple(key):
            return suggestion
    raise NotFoundError(_("This suggestion is no longer open."))


def accept(db: Database, key: tuple[str, int, str], today: dt.date) -> ReminderRow | FeedbackRow:
    """Turn a suggestion into a reminder due today or a planned feedback request.

    The suggestion is looked up afresh, so one that no longer holds (the client objected
    meanwhile, or it was accepted already) is refused with NotFoundError.
    """
    suggestion = _find(db, key, today)
    if suggestion.kind is not None:
        return feedback_service.create_request(
            db,
            {
                "client_id": suggestion.client_id,
                "kind": suggestion.kind,
                "channel": suggestion.channel,
                "status": FeedbackStatus.PLANNED,
                "planned_on": today,
            },
            today,
        )
    return reminders_service.create_reminder(
        db,
        {
            "client_id": suggestion.client_id,
            "due_on": today,
            "purpose": suggestion.purpose,
            "channel": suggestion.channel,
            "note": suggestion.why,
        },
        today,
    )


def dismiss(db: Database, key: tuple[str, int, str], today: dt.date) -> None:
    """Never suggest this (rule, client, occasion) again."""
    rule, client_id, ref = key
    try:
        with db.session() as session:
            session.add(
                DismissedSuggestion(rule=rule, client_id=client_id, ref=ref, dismissed_on=today)
            )
    except IntegrityError:
        pass  # dismissed already (e.g. twice from two views): the wish is kept either way


# --------------------------------------------------------------------------------------------
# News to tell chosen clients about
# --------------------------------------------------------------------------------------------


def _news(session: Session) -> SkillNews | None:
    stored = session.get(Setting, NEWS_KEY)
    if stored is None:
        return None
    try:
        data = json.loads(stored.value)
        return SkillNews(
            ref=str(data["ref"]),
            text=str(data["text"]),
            on=dt.date.fromisoformat(data["on"]),
            client_ids=frozenset(int(i) for i in data["client_ids"]),
        )
    except (ValueError, KeyError, TypeError):
        return None  # damaged: as if there were no news


def current_news(db: Database) -> SkillNews | None:
    """The news the "tell about new skills" rule is suggesting, if any."""
    with db.session() as session:
        return _news(session)


def announce_news(db: Database, text: str, client_ids: Iterable[int], on: dt.date) -> SkillNews:
    """Set the news and the clients to tell.

    New text is a new occasion for every chosen client; the same text with another choice of
    clients keeps the occasion, so clients already told are not suggested again.
    """
    text = (text or "").strip()
    if not text:
        raise input_error("note", N_("must not be empty"))
    chosen = frozenset(client_ids)
    if not chosen:
        raise input_error("client_id", N_("choose at least one client"))
    with db.session() as session:
        known = set(session.exec(select(Client.id).where(col(Client.id).in_(chosen))).all())
        current = _news(session)
    if known != chosen:
        raise input_error("client_id", N_("choose an existing client"))
    if current is not None and current.text == text:
        # The same news for more or fewer clients: those told already are not asked again.
        news = SkillNews(ref=current.ref, text=text, on=current.on, client_ids=chosen)
    else:
        news = SkillNews(ref=uuid.uuid4().hex[:12], text=text, on=on, client_ids=chosen)
    value = json.dumps(
        {
            "ref": news.ref,
            "text": news.text,
            "on": news.on.isoformat(),
            "client_ids": sorted(chosen),
        },
        ensure_ascii=False,
    )
    with db.session() as session:
        session.merge(Setting(key=NEWS_KEY, value=value))
    return news


def clear_news(db: Database) -> None:
    """Stop suggesting the current news."""
    with db.session() as session:
        stored = session.get(Setting, NEWS_KEY)
        if stored is not None:
            session.delete(stored)

"""Lessons: the list, and one lesson whole (its networks, samples and steps)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from app.api.lesson_schemas import Lesson, LessonSummary
from app.store import NotFound

router = APIRouter(prefix="/lessons", tags=["lessons"])


def get_lessons(request: Request) -> dict[str, Lesson]:
    return request.app.state.lessons


LessonsDep = Annotated[dict[str, Lesson], Depends(get_lessons)]


@router.get("", response_model=list[LessonSummary])
def lessons(all_lessons: LessonsDep):
    """Every lesson: id, title, summary, the text it follows and its number of steps."""
    return [lesson.summarise() for lesson in all_lessons.values()]


@router.get("/{lesson_id}", response_model=Lesson)
def lesson(
    all_lessons: LessonsDep,
    lesson_id: str = Path(..., max_length=40, description="a lesson id from GET /api/lessons"),
):
    """One lesson with its networks, samples and steps, as the page plays it."""
    found = all_lessons.get(lesson_id)
    if found is None:
        known = ", ".join(all_lessons)
        raise NotFound(f"no lesson {lesson_id!r}; there are: {known}")
    return found

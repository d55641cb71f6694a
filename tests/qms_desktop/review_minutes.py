"""A held review with everything closing asks for written: attendance, a conclusion on every
input, the overall conclusion, the next review's date and one decision."""

from __future__ import annotations

import datetime as dt

from qms_desktop import review_inputs, reviews
from qms_desktop.models import ManagementReview, Person


def held_with_minutes(chair: Person, meeting_on: dt.date,
                      decision: str = "Add a second supplier for bar stock",
                      due_in_days: int = 60) -> ManagementReview:
    review = reviews.plan_review(meeting_on, place="Office", chair=chair)
    reviews.set_attendance(review, chair, present=True, role_label="Chair")
    reviews.mark_held(review)
    for section in review_inputs.assemble_inputs(review):
        reviews.set_input_notes(review, section.code, "Discussed.", "Acceptable.")
    reviews.update_details(review, suitability="Suitable.", adequacy="Adequate.",
                           effectiveness="Effective.", strategy_alignment="Aligned.",
                           next_review_on=meeting_on + dt.timedelta(days=365))
    reviews.add_decision(review, "improvement", decision, chair,
                         meeting_on + dt.timedelta(days=due_in_days))
    return review

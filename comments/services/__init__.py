"""State changes of reader comments, one module per part of the job.

Lower modules never import higher ones, so no import circle can form:
refusals and counts, then opening, then posting and moderation, then reports, bans and
privacy (which build on moderation's status changes and audit rows).
"""
